"""A replay of a Telegram public channel's web preview (/s/NAME, /s/NAME?before=ID), rendered
from fixture data in the markup t.me serves: each message a `.tgme_widget_message` with its
`data-post`, text, views and time, and where the fixture says so a signer's name, a forward's
source or a replied-to message with its author (what the connector must not read).

`answer`, when set, is served instead of any page (a 429, a broken page). /NAME (no /s/)
answers as t.me does for a channel: a plain page without the messages; with `preview` False,
/s/NAME sends there, as t.me does for a channel without a public preview.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loa.devtools.platforms import Answer, not_found


def _message(name: str, message: dict[str, Any]) -> str:
    post_id = message["id"]
    data_post = "" if message.get("broken") else f' data-post="{name}/{post_id}"'
    when = dt.datetime.fromisoformat(message["datetime"])
    parts = [
        f'<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message"{data_post} data-view="x">',
        f'<div class="tgme_widget_message_user"><a href="https://t.me/{name}">'
        '<i class="tgme_widget_message_user_photo"></i></a></div>',
        '<div class="tgme_widget_message_bubble"><i class="tgme_widget_message_bubble_tail"></i>',
        f'<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
        f'href="https://t.me/{name}"><span dir="auto">{html.escape(message.get("channel_title", name))}</span>'
        "</a></div>",
    ]
    forwarded = message.get("forwarded_from")
    if forwarded:
        parts.append(
            '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
            f'<a class="tgme_widget_message_forwarded_from_name" href="{html.escape(forwarded["url"])}">'
            f'<span dir="auto">{html.escape(forwarded["name"])}</span></a></div>'
        )
    reply = message.get("reply_to")
    if reply:
        parts.append(
            f'<a class="tgme_widget_message_reply" href="https://t.me/{name}/{reply["post"]}">'
            f'<div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" '
            f'dir="auto">{html.escape(reply["author"])}</span></div>'
            f'<div class="tgme_widget_message_text js-message_reply_text" dir="auto">{html.escape(reply["text"])}'
            "</div></a>"
        )
    if message.get("photo"):
        parts.append(
            f'<a class="tgme_widget_message_photo_wrap" href="https://t.me/{name}/{post_id}" '
            f"style=\"background-image:url('{html.escape(message['photo'])}')\"></a>"
        )
    if message.get("text_html"):
        parts.append(f'<div class="tgme_widget_message_text js-message_text" dir="auto">{message["text_html"]}</div>')
    signer = message.get("signed_by")
    signature = (
        f'<span class="tgme_widget_message_from_author" dir="auto">{html.escape(signer)}</span>&nbsp;' if signer else ""
    )
    parts.append(
        '<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short '
        f'js-message_info"><span class="tgme_widget_message_views">{html.escape(message["views"])}</span>'
        f'<span class="copyonly"> views</span><span class="tgme_widget_message_meta">{signature}'
        f'<a class="tgme_widget_message_date" href="https://t.me/{name}/{post_id}"><time datetime="'
        f'{when.isoformat()}" class="time">{when:%H:%M}</time></a></span></div></div>'
    )
    parts.append("</div></div></div>")
    return "".join(parts)


@dataclass
class TelegramReplay:
    channel: dict[str, Any]
    messages: list[dict[str, Any]]  # oldest first
    page_size: int = 20
    answer: Answer | None = None
    preview: bool = True  # False: the channel has no public preview, /s/NAME sends to /NAME

    def __call__(self, path: str, query: dict[str, list[str]]) -> Answer:
        if self.answer is not None:
            return self.answer
        name = self.channel["name"]
        if path == f"/{name}":
            return Answer(body=f'<html><body><div class="tgme_page">{html.escape(name)}</div></body></html>'.encode())
        if path != f"/s/{name}":
            return not_found()
        if not self.preview:
            return Answer(status=302, headers={"Location": f"/{name}"})
        before = query.get("before", [""])[0]
        shown = [m for m in self.messages if not before.isdigit() or m["id"] < int(before)][-self.page_size :]
        title = html.escape(self.channel["title"])
        more = (
            f'<a class="tme_messages_more js-messages_more" data-before="{shown[0]["id"]}" '
            f'href="/s/{name}?before={shown[0]["id"]}"></a>'
            if shown and shown[0]["id"] > 1
            else ""
        )
        page = (
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} – Telegram</title></head><body>'
            f'<header class="tgme_header"><div class="tgme_channel_info"><div class="tgme_channel_info_header_title">'
            f'<span dir="auto">{title}</span></div><div class="tgme_channel_info_description">'
            f'{html.escape(self.channel["description"])}</div><div class="tgme_channel_info_counter">'
            f'<span class="counter_value">{html.escape(self.channel["subscribers"])}</span> subscribers</div></div>'
            f'</header><main><section class="tgme_channel_history js-message_history">{more}'
            + "".join(_message(name, {**m, "channel_title": self.channel["title"]}) for m in shown)
            + "</section></main></body></html>"
        )
        return Answer(body=page.encode())


def telegram_replay(folder: Path) -> TelegramReplay:
    """The replay of the channel in `folder`/telegram_channel.json."""
    data = json.loads((folder / "telegram_channel.json").read_text(encoding="utf-8"))
    return TelegramReplay(channel=data["channel"], messages=data["messages"], page_size=data.get("page_size", 20))
