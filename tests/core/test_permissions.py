"""The permission module: roles grant permissions per organisation, never across."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from burgerlink.core import permissions
from burgerlink.core.models import Membership, Organisation, Role, User
from burgerlink.core.permissions import ROLE_PERMISSIONS, Perm


def test_administrator_holds_every_permission() -> None:
    assert ROLE_PERMISSIONS[Role.ADMINISTRATOR] == frozenset(Perm)


def test_every_role_may_see_the_dashboard() -> None:
    for role in Role:
        assert Perm.VIEW_DASHBOARD in ROLE_PERMISSIONS[role]


def test_roles_are_scoped_to_their_organisation(
    amstelstad: Organisation, heidedorp: Organisation, kees_quality: User
) -> None:
    assert permissions.has_perm(kees_quality, Perm.MANAGE_CHARTERS, amstelstad)
    assert not permissions.has_perm(kees_quality, Perm.MANAGE_CHARTERS, heidedorp)
    assert not permissions.has_perm(kees_quality, Perm.MANAGE_MEMBERS, amstelstad)
    assert list(permissions.staff_organisations(kees_quality)) == [amstelstad]


def test_roles_in_several_organisations_add_up(
    amstelstad: Organisation, heidedorp: Organisation, bram_researcher: User
) -> None:
    Membership.objects.create(user=bram_researcher, organisation=heidedorp, role=Role.ADMINISTRATOR)
    assert permissions.has_perm(bram_researcher, Perm.MANAGE_MEMBERS, heidedorp)
    assert not permissions.has_perm(bram_researcher, Perm.MANAGE_MEMBERS, amstelstad)
    assert set(permissions.staff_organisations(bram_researcher)) == {amstelstad, heidedorp}


def test_organisation_for_hides_other_organisations(
    amstelstad: Organisation, heidedorp: Organisation, henk_heidedorp: User, carla_comms: User
) -> None:
    with pytest.raises(Http404):
        permissions.organisation_for(henk_heidedorp, "amstelstad")
    with pytest.raises(PermissionDenied):
        permissions.organisation_for(carla_comms, "amstelstad", Perm.MANAGE_API_TOKENS)
    assert permissions.organisation_for(carla_comms, "amstelstad") == amstelstad


def test_inactive_users_and_inactive_organisations_have_no_rights(
    amstelstad: Organisation, anna_admin: User
) -> None:
    anna_admin.is_active = False
    assert not permissions.has_perm(anna_admin, Perm.VIEW_DASHBOARD, amstelstad)
    anna_admin.is_active = True
    amstelstad.is_active = False
    amstelstad.save()
    assert not permissions.staff_organisations(anna_admin).exists()


def test_platform_operator_has_no_rights_inside_organisations(
    amstelstad: Organisation, olaf_operator: User
) -> None:
    assert permissions.is_platform_operator(olaf_operator)
    assert not permissions.has_perm(olaf_operator, Perm.VIEW_DASHBOARD, amstelstad)


def test_citizen_account_has_no_staff_rights(amstelstad: Organisation, anna_citizen: User) -> None:
    assert not permissions.is_staff_member(anna_citizen)
    assert permissions.permissions_in(anna_citizen, amstelstad) == set()
