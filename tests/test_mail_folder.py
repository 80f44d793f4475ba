"""The sandbox's mail folder: with IEPIMP_MAIL_DIR the worker writes each message as a file."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy
from pathlib import Path

from kernel.settings import load_settings
from mailers.smtp import Letter, SmtpConfig, Verdict, deliver

LETTER = Letter(
    message_id="<42.reminder@iepimp.example.org>",
    recipient="contact@lea.example.org",
    subject="Reminder: IEP Implementation due in 7 days",
    body_text="Plain text",
    body_html="<p>HTML</p>",
)


async def test_a_message_lands_in_the_folder_as_an_eml_file(tmp_path: Path) -> None:
    # given the settings of a sandbox that writes its mail to a folder (no server listening)
    settings = load_settings(
        {"IEPIMP_SECRET_KEY": "x" * 40, "IEPIMP_MAIL_DIR": str(tmp_path / "mail")}
    )
    config = SmtpConfig.from_settings(settings)
    # when the worker delivers a letter, twice (a retry after a crash)
    when = datetime(2026, 5, 4, 17, 30, tzinfo=UTC)
    assert (await deliver(config, LETTER, when)).verdict is Verdict.SENT
    assert (await deliver(config, LETTER, when)).verdict is Verdict.SENT
    # then one .eml file holds it, readable by a mail program
    files = sorted((tmp_path / "mail").iterdir())
    assert [f.name for f in files] == ["20260504T173000-42.reminder_iepimp.example.org.eml"]
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"] == LETTER.recipient
    assert message["Subject"] == LETTER.subject


async def test_an_unwritable_folder_is_retried(tmp_path: Path) -> None:
    # given a mail folder path that is a file
    blocker = tmp_path / "mail"
    blocker.write_text("not a folder")
    config = SmtpConfig(host="127.0.0.1", port=1, mail_dir=str(blocker))
    # when a letter is delivered, it is kept for a retry with the reason
    outcome = await deliver(config, LETTER, datetime(2026, 5, 4, tzinfo=UTC))
    assert outcome.verdict is Verdict.RETRY
    assert "mail folder" in outcome.reason
