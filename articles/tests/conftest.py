import pytest
from django.contrib.auth.models import Group
from django.test import Client


@pytest.fixture
def editor_client(django_user_model):
    """A client signed in as a member of the Urednici group: what an editor of the newsroom may do."""
    editor = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Urednici"))
    client = Client()
    client.force_login(editor)
    return client
