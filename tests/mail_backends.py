"""E-mail backends that fail like real mail servers do, for the bounce tests."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class BouncingBackend(EmailBackend):
    """Refuses every address with 'bounce' in it, as an SMTP server refuses an unknown user."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            refused = [address for address in message.recipients() if "bounce" in address]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"5.1.1 User unknown") for address in refused}
                )
        return super().send_messages(email_messages)


class FailingServerBackend(EmailBackend):
    """Delivers two messages, then loses the connection to the server."""

    delivered = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if FailingServerBackend.delivered >= 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        FailingServerBackend.delivered += len(email_messages)
        return super().send_messages(email_messages)
