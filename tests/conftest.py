import pytest
from django.test import Client


@pytest.fixture
def staff_client(db):
    """A client logged in as a staff editor (separate from the anonymous `client`)."""
    from tests.factories import StaffFactory

    staff = Client()
    staff.user = StaffFactory(username="editor")
    staff.force_login(staff.user)
    return staff
