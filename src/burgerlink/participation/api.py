"""The participation app's API router: mounts each area's router (``api/api.py`` mounts this)."""

from ninja import Router

from burgerlink.participation.council.api import router as council_router
from burgerlink.participation.petitions.api import router as petitions_router
from burgerlink.participation.voice.api import router as voice_router

router = Router()
router.add_router("", petitions_router)
router.add_router("", voice_router)
router.add_router("", council_router)
