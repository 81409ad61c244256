from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("agents/", include("guichet.backoffice.urls")),
    path("api/", include("guichet.api.urls")),
    # Open311 GeoReport v2 where clients look for it (issue 3): `open311_*` route names.
    path("open311/v2/", include("guichet.api.public_space.open311_urls")),
    path("", include("guichet.frontoffice.urls")),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

handler404 = "guichet.api.errors.not_found"
