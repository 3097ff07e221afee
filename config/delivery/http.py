"""How the layer and the views tell a script's request from a browser's, and answer it."""

from django.http import JsonResponse

from .reader_script import in_reader_script


def wants_json(request):
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def json_answer(status, message, errors=None, **data):
    """comments.js's answer. Only HTML is transliterated on the way out, so the texts it shows are made in the
    reader's script here: a reader of /cir/ pages posts to /cir/ addresses."""
    payload = {"ok": status < 400, "message": in_reader_script(message), **data}
    if errors is not None:
        payload["errors"] = {name: list(map(in_reader_script, texts)) for name, texts in errors.items()}
    return JsonResponse(payload, status=status)
