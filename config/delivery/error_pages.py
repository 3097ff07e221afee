"""Refusals Django answers without a page of its own, given one in Serbian.

``require_POST`` and its kin answer a wrong method with an empty 405: a reader who opens such an address (a
comment form's target, a reaction button's) would see a blank page, and a script would get no message.
"""

from django.http import HttpResponseNotAllowed, JsonResponse
from django.template import loader

from .http import wants_json

METHOD_NOT_ALLOWED = (
    "Ova adresa se ne otvara na taj način. Vratite se na prethodnu stranicu i pokušajte ponovo."
)


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        if wants_json(request):
            page = JsonResponse({"ok": False, "message": METHOD_NOT_ALLOWED}, status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        # Rendered without a request, like the other error pages: nothing in it can fail.
        return HttpResponseNotAllowed(
            response.get("Allow", "").split(", "), loader.get_template("405.html").render()
        )
