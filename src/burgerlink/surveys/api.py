"""The surveys app's API router: mounts each area's router."""

from ninja import Router

from burgerlink.surveys.fieldwork.api import router as fieldwork_router
from burgerlink.surveys.questionnaires.api import router as questionnaires_router
from burgerlink.surveys.respond.api import router as respond_router
from burgerlink.surveys.results.api import router as results_router

router = Router()
router.add_router("", questionnaires_router)
router.add_router("", respond_router)
router.add_router("", fieldwork_router)
router.add_router("", results_router)
