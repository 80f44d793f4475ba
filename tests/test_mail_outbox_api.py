"""The outbox as CDE staff see it: ``outbox``, ``outboxDepth`` and ``requeueMessage``."""

from __future__ import annotations

from models import AuditEvent, OutboxMessage
from models.shared.enums import OutboxStatus
from tests.support.clients import GraphQLClient
from tests.support.factories import FakeClock, World
from tests.support.mail_support import queue_many

OUTBOX = """
query($status: OutboxStatus, $first: Int, $after: String) {
  outbox(status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id kind recipient status attempts lastError eventKey createdAt sentAt
                   nextAttemptAt } }
  }
}
"""
DEPTH = "{ outboxDepth { pending sent failed } }"
REQUEUE = """
mutation($id: ID!) {
  requeueMessage(id: $id) {
    message { id status nextAttemptAt lastError }
    userErrors { field code message }
  }
}
"""


async def fail_one(clock: FakeClock) -> OutboxMessage:
    row = await OutboxMessage.filter().order_by("id").first()
    assert row is not None
    await OutboxMessage.filter(id=row.id).update(
        status=OutboxStatus.FAILED, attempts=3, last_error="recipient refused: 550 no such user"
    )
    await row.refresh_from_db()
    return row


async def test_cde_staff_page_through_the_outbox(
    world: World, clock: FakeClock, cde_admin: GraphQLClient, cde_analyst: GraphQLClient
) -> None:
    # given five messages, one failed
    await queue_many(5, clock())
    failed = await fail_one(clock)
    for client in (cde_admin, cde_analyst):
        # when CDE staff read the first page of two, then the next
        first = await client.execute(OUTBOX, first=2)
        assert first.errors == []
        page = first.data["outbox"]
        assert page["totalCount"] == 5
        assert page["pageInfo"]["hasNextPage"] is True
        second = await client.execute(OUTBOX, first=10, after=page["pageInfo"]["endCursor"])
        nodes = [e["node"] for e in page["edges"] + second.data["outbox"]["edges"]]
        # then they see every message once, newest first, with its delivery state
        assert len({n["id"] for n in nodes}) == 5
        assert [int(n["id"]) for n in nodes] == sorted((int(n["id"]) for n in nodes), reverse=True)
        node = next(n for n in nodes if n["id"] == str(failed.id))
        assert node["status"] == "FAILED"
        assert node["attempts"] == 3
        assert node["lastError"] == "recipient refused: 550 no such user"
        assert node["eventKey"] == failed.event_key
        assert node["kind"] == "approved"
        assert node["recipient"] == failed.recipient
        assert node["createdAt"].endswith("-07:00")
        assert node["nextAttemptAt"] is None
        pending = next(n for n in nodes if n["status"] == "PENDING")
        assert pending["nextAttemptAt"] is not None
        # and can filter by status and read the depth
        only = await client.execute(OUTBOX, status="FAILED")
        assert [e["node"]["id"] for e in only.data["outbox"]["edges"]] == [str(failed.id)]
        depth = await client.execute(DEPTH)
        assert depth.data["outboxDepth"] == {"pending": 4, "sent": 0, "failed": 1}


async def test_others_may_not_see_the_outbox(
    world: World,
    selpa_a: GraphQLClient,
    lea_a1: GraphQLClient,
    anonymous: GraphQLClient,
) -> None:
    for client in (selpa_a, lea_a1):
        result = await client.execute(OUTBOX)
        assert result.codes == ["FORBIDDEN"]
        assert result.data.get("outbox") is None
    assert (await anonymous.execute(OUTBOX)).codes == ["UNAUTHENTICATED"]
    assert (await selpa_a.execute(DEPTH)).codes == ["FORBIDDEN"]


async def test_a_bad_page_argument_is_invalid_input(world: World, cde_admin: GraphQLClient) -> None:
    result = await cde_admin.execute(OUTBOX, first=0)
    assert result.codes == ["INVALID_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "first"
    result = await cde_admin.execute(OUTBOX, after="bm90LWEtY3Vyc29y")
    assert result.codes == ["INVALID_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "after"


async def test_cde_admin_requeues_a_failed_message(
    world: World, clock: FakeClock, cde_admin: GraphQLClient
) -> None:
    # given a failed message
    await queue_many(2, clock())
    failed = await fail_one(clock)
    clock.advance(minutes=10)
    # when the administrator re-queues it
    result = await cde_admin.execute(REQUEUE, id=str(failed.id))
    # then it is pending again, due now, and the act is audited
    payload = result.data["requeueMessage"]
    assert payload["userErrors"] == []
    assert payload["message"]["status"] == "PENDING"
    await failed.refresh_from_db()
    assert failed.status is OutboxStatus.PENDING
    assert failed.next_attempt_at == clock()
    assert failed.message_id == (await OutboxMessage.get(id=failed.id)).message_id
    assert (
        await AuditEvent.filter(action="outbox.requeue", target=f"outbox:{failed.id}").count() == 1
    )
    # and a second re-queue is refused: it is no longer failed
    again = await cde_admin.execute(REQUEUE, id=str(failed.id))
    assert [e["code"] for e in again.data["requeueMessage"]["userErrors"]] == ["INVALID_STATE"]


async def test_requeue_refusals(
    world: World, clock: FakeClock, cde_admin: GraphQLClient, cde_analyst: GraphQLClient
) -> None:
    await queue_many(1, clock())
    failed = await fail_one(clock)
    # an analyst may read but not re-queue; nothing changes
    result = await cde_analyst.execute(REQUEUE, id=str(failed.id))
    assert result.codes == ["FORBIDDEN"]
    assert (await OutboxMessage.get(id=failed.id)).status is OutboxStatus.FAILED
    # a missing message and a malformed id are user errors
    missing = await cde_admin.execute(REQUEUE, id="999999")
    assert missing.data["requeueMessage"]["userErrors"][0]["code"] == "NOT_FOUND"
    bad = await cde_admin.execute(REQUEUE, id="abc")
    assert bad.data["requeueMessage"]["userErrors"] == [
        {"field": ["id"], "code": "INVALID_INPUT", "message": "id is not an outbox message id."}
    ]
