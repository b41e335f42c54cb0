"""Twilio's side of SMS: request signatures and the Messages REST API.

The API base URL is configurable (TWILIO_API_BASE) so tests and `bot sms-sim`
run against a local fake; nothing here reaches the internet unless a
deployment points it there. Logs carry no phone number and no message text.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import aiohttp
from twilio.request_validator import RequestValidator

logger = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
STATUS_PATH = "/webhooks/sms/status"  # Twilio's status callbacks (bot/server/channels/sms.py)


class _Form:
    """POST parameters with repeated names, as twilio's RequestValidator reads them."""

    def __init__(self, params: Iterable[Tuple[str, str]]) -> None:
        self._values: Dict[str, List[str]] = {}
        for name, value in params:
            self._values.setdefault(name, []).append(value)

    def __iter__(self):
        return iter(self._values)

    def getall(self, name: str) -> List[str]:
        return self._values[name]


def signature(auth_token: str, url: str, params: Iterable[Tuple[str, str]]) -> str:
    """X-Twilio-Signature as Twilio computes it (its own library)."""
    return RequestValidator(auth_token).compute_signature(url, _Form(params))


def valid_signature(auth_token: str, url: str, params: Iterable[Tuple[str, str]],
                    given: Optional[str]) -> bool:
    """Twilio's own check: it also takes the URL signed with or without the
    default port (https://host/... and https://host:443/...)."""
    if not auth_token or not given:
        return False
    return RequestValidator(auth_token).validate(url, _Form(params), given)


@dataclass(frozen=True)
class TwilioConfig:
    account_sid: str
    auth_token: str
    from_number: str  # or a Messaging Service SID ("MG...")
    api_base: str
    status_callback: Optional[str] = None  # where Twilio reports what became of each text
    attempts: int = 4
    first_backoff: float = 0.5

    @property
    def messages_url(self) -> str:
        return f"{self.api_base.rstrip('/')}/2010-04-01/Accounts/{self.account_sid}/Messages.json"


@dataclass(frozen=True)
class Sent:
    """One text handed to Twilio: its MessageSid when Twilio took it, else
    status "failed" and Twilio's error code (if it gave one)."""
    message_sid: Optional[str]
    status: str
    error_code: Optional[str] = None


async def send_sms(config: TwilioConfig, to: str, bodies: Sequence[str], log_key: str,
                   session: Optional[aiohttp.ClientSession] = None) -> List[Sent]:
    """Send the texts in order, each only once Twilio took the one before;
    retry what Twilio may accept later. One Sent per text tried (the last one
    failed when Twilio took fewer than all). `log_key` names the conversation
    in logs."""
    own = session is None
    session = session or aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
    results: List[Sent] = []
    try:
        for index, body in enumerate(bodies):
            results.append(await _send_one(config, session, to, body, f"{log_key}#{index}"))
            if results[-1].message_sid is None:
                break  # keep the order: never send part 3 without part 2
    finally:
        if own:
            await session.close()
    return results


async def _send_one(config: TwilioConfig, session: aiohttp.ClientSession, to: str, body: str,
                    log_key: str) -> Sent:
    sender = "MessagingServiceSid" if config.from_number.startswith("MG") else "From"
    form = {"To": to, sender: config.from_number, "Body": body}
    if config.status_callback:
        form["StatusCallback"] = config.status_callback
    auth = aiohttp.BasicAuth(config.account_sid, config.auth_token)
    delay = config.first_backoff
    code: Optional[object] = None
    for attempt in range(1, config.attempts + 1):
        try:
            async with session.post(config.messages_url, data=form, auth=auth) as response:
                if response.status < 300:
                    answer = await _json(response)
                    return Sent(str(answer.get("sid") or ""), str(answer.get("status") or "queued"))
                code = (await _json(response)).get("code")
                if response.status not in RETRY_STATUSES:
                    logger.error("SMS %s refused by Twilio: HTTP %s, error %s",
                                 log_key, response.status, code)
                    return Sent(None, "failed", _text(code))
                logger.warning("SMS %s: HTTP %s (error %s), attempt %d/%d",
                               log_key, response.status, code, attempt, config.attempts)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("SMS %s: %s, attempt %d/%d", log_key, type(error).__name__,
                           attempt, config.attempts)
        if attempt < config.attempts:
            await asyncio.sleep(delay)
            delay *= 2
    logger.error("SMS %s not sent after %d attempts", log_key, config.attempts)
    return Sent(None, "failed", _text(code))


async def _json(response: aiohttp.ClientResponse) -> Dict:
    try:
        answer = await response.json(content_type=None)
        return answer if isinstance(answer, dict) else {}
    except Exception:
        return {}


def _text(code: Optional[object]) -> Optional[str]:
    return None if code is None else str(code)[:10]


def config_from(env: Mapping[str, str]) -> TwilioConfig:
    """The callback is on the public URL Twilio calls (SMS_PUBLIC_URL), or
    SMS_STATUS_CALLBACK_URL; without either, no statuses are asked for."""
    public = (env.get("SMS_PUBLIC_URL") or "").rstrip("/")
    callback = env.get("SMS_STATUS_CALLBACK_URL") or (f"{public}{STATUS_PATH}" if public else None)
    return TwilioConfig(
        account_sid=env["TWILIO_ACCOUNT_SID"], auth_token=env["TWILIO_AUTH_TOKEN"],
        from_number=env["TWILIO_FROM_NUMBER"], api_base=env["TWILIO_API_BASE"],
        status_callback=callback,
    )
