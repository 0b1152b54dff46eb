"""A cohort's award page and its progress poll show one page of rows (or only the failed ones), while the
summary still counts every row."""

import re

import pytest
from django.urls import reverse

from assessment.award_jobs import award_job_run
from assessment.award_progress import ROWS_PER_PAGE
from badges.models import Credential
from tests.assessment.test_award_progress import EN, confirmed_batch

pytestmark = pytest.mark.django_db
COUNT = 2 * ROWS_PER_PAGE + 50  # lines 2 … 251


@pytest.fixture
def batch(issuer, achievement, owner, client, django_capture_on_commit_callbacks):
    client.force_login(owner)
    batch = confirmed_batch(issuer, achievement, owner, COUNT, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):  # the job records the credentials; none is signed
        award_job_run(batch_id=batch.pk)
    return batch


def urls(batch):
    args = [batch.issuer.slug, batch.public_id]
    return reverse("assessment:award-batch", args=args), reverse("assessment:award-progress", args=args)


def lines_on(html: str) -> list[int]:
    return [int(line) for line in re.findall(r'data-live-row="(\d+)"', html)]


def test_the_page_shows_one_page_of_rows_and_links_to_the_next(client, batch):
    page_url, progress_url = urls(batch)
    first = client.get(page_url, **EN).content.decode()
    assert lines_on(first) == list(range(2, 2 + ROWS_PER_PAGE))
    assert f"Recipients 1–{ROWS_PER_PAGE} of {COUNT}" in first
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert "Page 1 of 3" in first
    # The poll asks for the rows on the page, no more.
    assert f'data-live-progress="{progress_url}?page=1"' in first

    last = client.get(page_url, {"page": 3}, **EN).content.decode()
    assert lines_on(last) == list(range(2 + 2 * ROWS_PER_PAGE, 2 + COUNT))
    assert 'href="?page=2" rel="prev"' in last and 'rel="next"' not in last


def test_the_poll_returns_the_rows_of_its_page_and_counts_them_all(client, batch):
    _page_url, progress_url = urls(batch)
    snapshot = client.get(progress_url, {"page": 3}, **EN).json()
    assert [row["id"] for row in snapshot["rows"]] == [str(line) for line in range(2 + 2 * ROWS_PER_PAGE, 2 + COUNT)]
    assert (snapshot["total"], snapshot["pending"]) == (COUNT, COUNT)


@pytest.mark.parametrize("asked", ["0", "99", "-1", "x", ""])
def test_a_page_out_of_range_shows_the_nearest_page(client, batch, asked):
    page_url, progress_url = urls(batch)
    response = client.get(page_url, {"page": asked}, **EN)
    assert response.status_code == 200
    assert lines_on(response.content.decode())[0] in (2, 2 + 2 * ROWS_PER_PAGE)
    assert client.get(progress_url, {"page": asked}).status_code == 200


def test_only_the_failed_rows_can_be_shown(client, batch):
    page_url, progress_url = urls(batch)
    failed_lines = [7, 180]
    Credential.objects.filter(award_recipient__batch=batch, award_recipient__line__in=failed_lines).update(
        status=Credential.Status.FAILED)

    page = client.get(page_url, **EN).content.decode()
    assert '<a href="?show=failed">Show only the 2 recipients whose credentials failed</a>' in page
    failed = client.get(page_url, {"show": "failed"}, **EN).content.decode()
    assert lines_on(failed) == failed_lines
    assert "Failed recipients 1–2 of 2" in failed and "Show every recipient" in failed
    assert f'data-live-progress="{progress_url}?show=failed&amp;page=1"' in failed
    snapshot = client.get(progress_url, {"show": "failed"}, **EN).json()
    assert [row["id"] for row in snapshot["rows"]] == ["7", "180"]
    assert (snapshot["total"], snapshot["failed"]) == (COUNT, 2)


def test_with_nothing_failed_the_failed_view_says_so(client, batch):
    page_url, _progress_url = urls(batch)
    page = client.get(page_url, **EN).content.decode()
    assert "show=failed" not in page
    empty = client.get(page_url, {"show": "failed"}, **EN).content.decode()
    assert lines_on(empty) == [] and "No recipient's credential has failed." in empty
    assert "Show every recipient" in empty


def test_the_page_of_a_large_cohort_is_a_few_queries(client, batch, django_assert_max_num_queries):
    page_url, progress_url = urls(batch)
    with django_assert_max_num_queries(12):
        client.get(page_url, {"page": 2}, **EN)
    with django_assert_max_num_queries(8):
        client.get(progress_url, {"page": 2}, **EN)


def test_the_pages_read_in_swedish(client, batch):
    page_url, _progress_url = urls(batch)
    Credential.objects.filter(award_recipient__batch=batch, award_recipient__line=9).update(
        status=Credential.Status.FAILED)
    page = client.get(page_url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f"Mottagare 1–{ROWS_PER_PAGE} av {COUNT}" in page and "Sida 1 av 3" in page
    assert "Visa bara mottagaren vars intyg misslyckades (1)" in page
