import io
import logging

import pytest
from django.urls import reverse

from insigne.platform.logging import MaskPersonalLinks, mask
from tests.claims.helpers import invite, open_link


def test_a_claim_path_loses_its_token():
    assert mask("Gone: /obtenir/AbC_-123/apercu/") == "Gone: /obtenir/…/apercu/"
    assert mask('"GET /obtenir/AbC_-123/ HTTP/1.1" 200') == '"GET /obtenir/…/ HTTP/1.1" 200'
    assert mask("Not Found: /badges/xyz") == "Not Found: /badges/xyz"


@pytest.mark.django_db
def test_the_token_of_a_declined_link_is_not_logged(client, camille):
    invitation, token = invite(camille)
    client.post(open_link(client, token, "refuser"))
    handler = next(
        h
        for h in logging.getLogger("django").handlers
        if any(isinstance(f, MaskPersonalLinks) for f in h.filters)
    )  # the console handler the settings configure
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        assert client.get(reverse("claim", args=[token]), follow=True).status_code == 410
        # a mistyped link still has its token in the path: masked too
        client.get(reverse("claim", args=[token[:-1] + ("A" if token[-1] != "A" else "B")]))
    finally:
        handler.setStream(previous)
    assert "Gone: /obtenir/" in stream.getvalue()
    assert "Not Found: /obtenir/…/" in stream.getvalue()
    assert token not in stream.getvalue()
