"""The charters app's API router: mounts each area's router."""

from ninja import Router

from burgerlink.charters.charter.api import router as charter_router
from burgerlink.charters.compensation.api import router as compensation_router
from burgerlink.charters.records.api import router as records_router
from burgerlink.charters.reporting.api import router as reporting_router

router = Router()
router.add_router("", charter_router)
router.add_router("", records_router)
router.add_router("", reporting_router)
router.add_router("", compensation_router)
