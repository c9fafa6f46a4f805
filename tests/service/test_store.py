"""The store on SQLite and PostgreSQL: scans, review, audit chain, outbox, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, text, update

from scanner.store import Store, audit, outbox, retention, review, scans, users
from scanner.store.crypto import ImageCipher, ImageKeyError
from scanner.store.models import AuditEntry, ReviewDecision, ReviewItem, Scan
from tests.service.conftest import FakeClock

RESULT = {"verdict": "fail", "reasons": [{"id": "mrz_check_digits", "status": "failed"}],
          "document": {"model": "UTO-P"}, "checks": [],
          "mrz": {"format": "TD3", "lines": ["P<UTOMARCHETTI<<RAFAEL", "VL0709449"],
                  "fields": {"surname": "MARCHETTI", "given_names": "RAFAEL",
                             "document_number": "VL0709449", "issuing_state": "UTO"}}}


def _scan(store: Store, cipher: ImageCipher, clock: FakeClock, verdict: str = "fail",
          targets: tuple[str, ...] = ("dms",)) -> str:
    scan_id = scans.new_scan_id()
    new = scans.NewScan(id=scan_id, result={**RESULT, "verdict": verdict},
                        images={"white": b"png-w", "ir": b"png-i", "uv": b"png-u"},
                        captured_at=clock(), device="sim:1")
    with store.write() as session:
        scans.save_scan(session, new, cipher, targets=targets, actor="clerk1", now=clock())
    return scan_id


def test_scan_roundtrip_images_encrypted(store: Store, cipher: ImageCipher,
                                         clock: FakeClock) -> None:
    scan_id = _scan(store, cipher, clock)
    with store.session() as session:
        assert scans.get_scan(session, scan_id).verdict == "fail"
        assert scans.get_image(session, cipher, scan_id, "uv") == b"png-u"
        sealed = session.scalar(text("SELECT sealed FROM scan_images WHERE light='uv'"))
        assert b"png-u" not in bytes(sealed)
        with pytest.raises(ImageKeyError):
            scans.get_image(session, ImageCipher(bytes(32)), scan_id, "uv")
        assert [i.scan_id for i in outbox.due(session, clock())] == [scan_id]
        assert session.get(ReviewItem, scan_id).severity == "high"  # type: ignore[union-attr]


def test_users_and_tokens(store: Store, clock: FakeClock) -> None:
    with store.write() as session:
        users.create_user(session, "rita", "reviewer", "correct horse", clock())
        with pytest.raises(users.UserError):
            users.create_user(session, "rita", "admin", "whatever12", clock())
    with store.write() as session:
        assert users.authenticate(session, "rita", "wrong pass") is None
        user = users.authenticate(session, "rita", "correct horse")
        assert user is not None
        token, _ = users.issue_token(session, user, clock(), timedelta(minutes=5))
    with store.session() as session:
        assert users.resolve_token(session, token, clock()) is not None
        assert users.resolve_token(session, token, clock() + timedelta(minutes=6)) is None
        assert users.resolve_token(session, "forged", clock()) is None


def test_review_decisions_are_never_overwritten(store: Store, cipher: ImageCipher,
                                                clock: FakeClock) -> None:
    medium = _scan(store, cipher, clock, verdict="review")
    clock.advance(seconds=1)
    high = _scan(store, cipher, clock, verdict="fail")
    _scan(store, cipher, clock, verdict="pass")
    with store.write() as session:
        a = users.create_user(session, "a", "reviewer", "password-a", clock())
        b = users.create_user(session, "b", "reviewer", "password-b", clock())
        assert [i.scan_id for i in review.queue(session)] == [high, medium]
        review.claim(session, high, a, clock())
        with pytest.raises(review.ReviewError):
            review.claim(session, high, b, clock())
        with pytest.raises(review.ReviewError):
            review.decide(session, high, a, decision="forged", reason="  ", now=clock())
        review.decide(session, high, a, decision="undetermined", reason="UV too weak, rescan",
                      now=clock())
        review.decide(session, high, a, decision="forged", reason="substrate glows under UV",
                      now=clock())
    with store.session() as session:
        history = review.decisions(session, high)
        assert [d.decision for d in history] == ["undetermined", "forged"]
        assert review.latest_decision(session, high).decision == "forged"  # type: ignore[union-attr]
        assert [i.scan_id for i in review.queue(session)] == [medium]
        assert session.scalar(select(ReviewDecision.reason).where(
            ReviewDecision.decision == "undetermined")) == "UV too weak, rescan"


def test_audit_chain_detects_changed_and_deleted_rows(store: Store, cipher: ImageCipher,
                                                      clock: FakeClock) -> None:
    for _ in range(4):
        _scan(store, cipher, clock)
    with store.session() as session:
        assert audit.verify(session) == (4, [])
    with store.write() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2)
                        .values(detail="verdict=pass"))
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 3))
    with store.session() as session:
        count, problems = audit.verify(session)
    assert count == 3
    assert [(p.seq, "changed" in p.problem) for p in problems] == [(2, True), (3, False)]
    assert "deleted" in problems[1].problem


def test_outbox_backoff_dead_letter_and_requeue(store: Store, cipher: ImageCipher,
                                                clock: FakeClock) -> None:
    scan_id = _scan(store, cipher, clock)
    with store.write() as session:
        item_id = outbox.due(session, clock())[0].id
        for expected_delay in (1.0, 2.0):
            item = outbox.mark_failed(session, item_id, "refused", clock(), max_attempts=3,
                                      base_s=1.0, max_s=60.0)
            assert item is not None and item.next_attempt_at == clock() + timedelta(
                seconds=expected_delay)
        outbox.mark_failed(session, item_id, "refused", clock(), max_attempts=3,
                                      base_s=1.0, max_s=60.0)
    with store.write() as session:
        assert [i.id for i in outbox.listing(session, "dead")] == [item_id]
        outbox.requeue(session, item_id, "admin", clock())
        outbox.mark_delivered(session, item_id, clock())
        outbox.mark_delivered(session, item_id, clock())  # a second ack changes nothing
    with store.session() as session:
        assert [i.scan_id for i in outbox.listing(session, "delivered")] == [scan_id]


def test_retention_purges_images_and_personal_data(store: Store, cipher: ImageCipher,
                                                   clock: FakeClock) -> None:
    acked = _scan(store, cipher, clock, verdict="pass")
    waiting = _scan(store, cipher, clock, verdict="pass")
    with store.write() as session:
        for item in outbox.due(session, clock()):
            if item.scan_id == acked:
                outbox.mark_delivered(session, item.id, clock())
    clock.advance(days=31)
    with store.write() as session:
        assert retention.sweep(session, clock(), image_days=30) == 1
    with store.session() as session:
        assert scans.image_lights(session, acked) == []
        assert sorted(scans.image_lights(session, waiting)) == ["ir", "uv", "white"]
        result = session.get(Scan, acked).result  # type: ignore[union-attr]
        assert "MARCHETTI" not in str(result) and "VL0709449" not in str(result)
        assert result["mrz"]["fields"] == {"issuing_state": "UTO"}  # type: ignore[index]
        assert audit.verify(session)[1] == []
