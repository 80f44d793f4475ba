"""Business-rule failures as SPEC §10 lists them: one blocking state error first, else every
validation error together, each naming its field; a refused mutation changes nothing."""

from __future__ import annotations

from models.shared.enums import SubmissionStatus
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, World
from tests.support.workflow_support import (
    CYCLE,
    REOPEN,
    REVIEW,
    SAVE,
    SUBMIT,
    force_state,
    review_input,
    save_input,
    snapshot,
    submit_input,
)

S = SubmissionStatus


def errors(payload: dict[str, object]) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]  # type: ignore[attr-defined]


async def test_submit_reports_every_validation_error_together(
    world: World, lea_a1: GraphQLClient
) -> None:
    # given a draft whose counts add up to 19 of 20
    await force_state(world.lea_a1, S.DRAFT, (15, 3, 1))
    before = await snapshot(world.lea_a1)
    # when it is submitted uncertified with a bad contact
    bad_contact = {
        "name": "  ",
        "title": "",
        "email": "pat.example@",
        "phone": "555-0100",
        "phoneExt": "12a",
    }
    result = await lea_a1.execute(
        SUBMIT, i=submit_input(LEA_A1, submitter=bad_contact, certify=False)
    )
    # then every problem is named at once, and nothing changes
    assert errors(result.data["submitSubmission"]) == [
        ("TOTAL_MISMATCH", None),
        ("INVALID_INPUT", ["input", "submitter", "name"]),
        ("INVALID_INPUT", ["input", "submitter", "title"]),
        ("INVALID_INPUT", ["input", "submitter", "email"]),
        ("INVALID_INPUT", ["input", "submitter", "phone"]),
        ("INVALID_INPUT", ["input", "submitter", "phoneExt"]),
        ("NOT_CERTIFIED", ["input", "certify"]),
    ]
    assert await snapshot(world.lea_a1) == before


async def test_submit_without_saved_counts_is_a_total_mismatch(
    world: World, lea_a1: GraphQLClient
) -> None:
    await force_state(world.lea_a1, S.DRAFT)
    result = await lea_a1.execute(SUBMIT, i=submit_input(LEA_A1))
    assert errors(result.data["submitSubmission"]) == [("TOTAL_MISMATCH", None)]


async def test_counts_outside_zero_to_the_sample_size_are_named(
    world: World, lea_a1: GraphQLClient
) -> None:
    before = await snapshot(world.lea_a1)
    result = await lea_a1.execute(SAVE, i=save_input(LEA_A1, -1, 21, 0))
    assert errors(result.data["saveCounts"]) == [
        ("INVALID_INPUT", ["input", "countA"]),
        ("INVALID_INPUT", ["input", "countB"]),
    ]
    assert await snapshot(world.lea_a1) == before


async def test_malformed_and_unknown_arguments(world: World, lea_a1: GraphQLClient) -> None:
    bad_cds = await lea_a1.execute(SAVE, i=save_input("1234", 1, 1, 1))
    assert errors(bad_cds.data["saveCounts"]) == [("INVALID_INPUT", ["input", "cdsCode"])]
    bad_cycle = await lea_a1.execute(SAVE, i={**save_input(LEA_A1, 1, 1, 1), "cycle": "2024"})
    assert errors(bad_cycle.data["saveCounts"]) == [("INVALID_INPUT", ["input", "cycle"])]
    unknown = await lea_a1.execute(SAVE, i={**save_input(LEA_A1, 1, 1, 1), "cycle": "2030-31"})
    assert errors(unknown.data["saveCounts"]) == [("NOT_FOUND", ["input", "cycle"])]


async def test_a_rejection_needs_a_reason_of_at_most_2000_characters(
    world: World, selpa_a: GraphQLClient
) -> None:
    await force_state(world.lea_a1, S.SUBMITTED, (15, 3, 2))
    before = await snapshot(world.lea_a1)
    for reason in (None, "   ", "x" * 2001):
        result = await selpa_a.execute(REVIEW, i=review_input(LEA_A1, "REJECT", reason))
        assert errors(result.data["reviewSubmission"]) == [("INVALID_INPUT", ["input", "reason"])]
    assert await snapshot(world.lea_a1) == before
    result = await selpa_a.execute(REVIEW, i=review_input(LEA_A1, "REJECT", "y" * 2000))
    assert result.data["reviewSubmission"]["submission"]["status"] == "REJECTED"


async def test_a_reopening_needs_a_reason(world: World, cde_admin: GraphQLClient) -> None:
    await force_state(world.lea_a1, S.APPROVED, (15, 3, 2))
    result = await cde_admin.execute(REOPEN, i={"cycle": CYCLE, "cdsCode": LEA_A1, "reason": ""})
    assert errors(result.data["reopenSubmission"]) == [("INVALID_INPUT", ["input", "reason"])]


async def test_a_stale_expected_version_is_a_version_conflict(
    world: World, lea_a1: GraphQLClient
) -> None:
    await force_state(world.lea_a1, S.DRAFT, (15, 3, 2), version=4)
    before = await snapshot(world.lea_a1)
    result = await lea_a1.execute(SAVE, i=save_input(LEA_A1, 1, 1, 1, expectedVersion=3))
    assert errors(result.data["saveCounts"]) == [("VERSION_CONFLICT", ["input", "expectedVersion"])]
    assert result.data["saveCounts"]["submission"]["version"] == 4
    assert await snapshot(world.lea_a1) == before


async def test_state_errors_come_first_in_their_order(world: World, lea_a1: GraphQLClient) -> None:
    # given an approved submission at version 4
    await force_state(world.lea_a1, S.APPROVED, (15, 3, 2), version=4)
    # a stale version outranks the invalid state, which outranks every validation error
    stale = await lea_a1.execute(SAVE, i=save_input(LEA_A1, -1, 99, 0, expectedVersion=1))
    assert errors(stale.data["saveCounts"]) == [("VERSION_CONFLICT", ["input", "expectedVersion"])]
    state = await lea_a1.execute(SAVE, i=save_input(LEA_A1, -1, 99, 0, expectedVersion=4))
    assert errors(state.data["saveCounts"]) == [("INVALID_STATE", None)]
    bad_submit = await lea_a1.execute(SUBMIT, i=submit_input(LEA_A1, certify=False))
    assert errors(bad_submit.data["submitSubmission"]) == [("INVALID_STATE", None)]


async def test_an_overlong_reviewer_name_is_refused_not_cut(
    world: World, selpa_a: GraphQLClient
) -> None:
    await force_state(world.lea_a1, S.SUBMITTED, (15, 3, 2))
    before = await snapshot(world.lea_a1)
    given = {**review_input(LEA_A1, "APPROVE", None), "reviewerName": "R" * 201}
    result = await selpa_a.execute(REVIEW, i=given)
    assert errors(result.data["reviewSubmission"]) == [("INVALID_INPUT", ["input", "reviewerName"])]
    assert await snapshot(world.lea_a1) == before


async def test_the_reviewer_is_kept_on_the_submission(world: World, selpa_a: GraphQLClient) -> None:
    await force_state(world.lea_a1, S.SUBMITTED, (15, 3, 2))
    given = {**review_input(LEA_A1, "APPROVE", None), "reviewerName": "Morgan Ashgrove"}
    result = await selpa_a.execute(
        "mutation($i: ReviewSubmissionInput!) { reviewSubmission(input: $i) "
        "{ submission { status reviewer { role scope name } } userErrors { code } } }",
        i=given,
    )
    submission = result.data["reviewSubmission"]["submission"]
    assert submission["reviewer"] == {"role": "SELPA", "scope": "1001", "name": "Morgan Ashgrove"}
