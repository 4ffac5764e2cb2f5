"""`loa token create USERNAME`, `loa token list USERNAME`, `loa token revoke USERNAME ID`: keys to
the read API (/api/v1/), for the operator; each person also manages their own on their account page."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from loa.clikit import CommandError, check_database, require_migrated, setup_django

if TYPE_CHECKING:
    from loa.accounts.models import User


def _django() -> None:
    setup_django()
    check_database()
    require_migrated()


def _account(username: str) -> User:
    from loa.accounts.models import User

    user: User | None = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không có tài khoản {username} (no such account)")
    if not user.is_active:
        raise CommandError(f"Tài khoản {username} đã bị khoá (the account is deactivated)")
    return user


def cmd_token_create(args: argparse.Namespace) -> int:
    _django()
    from loa.accounts.services import api_token_create

    user = _account(args.username)
    issued = api_token_create(user=user, name=args.name)
    # The key alone on standard output, so that a script can take it: `KEY=$(loa token create …)`.
    print(issued.key)
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    _django()
    from django.utils import timezone

    from loa.accounts.selectors import api_token_list

    user = _account(args.username)
    for token in api_token_list(user=user):
        made = f"{timezone.localtime(token.created_at):%d/%m/%Y %H:%M}"
        state = f"thu hồi {timezone.localtime(token.revoked_at):%d/%m/%Y %H:%M}" if token.revoked_at else "đang dùng"
        print(f"{token.pk}\t{token.prefix}…\t{token.name}\t{made}\t{state}")
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    _django()
    from loa.accounts.services import api_token_revoke

    user = _account(args.username)
    if not api_token_revoke(user=user, pk=args.id):
        raise CommandError(f"{args.username} không có khoá số {args.id} đang dùng (no such key in use)")
    print(f"Đã thu hồi khoá {args.id} (revoked)")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    token = subparsers.add_parser("token", help="keys to the read API (/api/v1/): create, list, revoke")
    actions = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="make a key for an account and print it (shown once)")
    create.add_argument("username", help="the account the key reads as (its scope and role)")
    create.add_argument("--name", default="loa token", help="what the key is for, shown in the key list")
    create.set_defaults(handler=cmd_token_create)
    listing = actions.add_parser("list", help="an account's keys: id, beginning, name, made, state")
    listing.add_argument("username", help="the account")
    listing.set_defaults(handler=cmd_token_list)
    revoke = actions.add_parser("revoke", help="revoke one of an account's keys")
    revoke.add_argument("username", help="the account")
    revoke.add_argument("id", type=int, help="the key's id (see loa token list)")
    revoke.set_defaults(handler=cmd_token_revoke)
