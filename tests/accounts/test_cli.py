"""`passerelle create-user`: the first staff account from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from passerelle.accounts.models import UserAccount
from passerelle.accounts.passwords import verify_password
from passerelle.cli import app

runner = CliRunner()


def test_create_a_staff_account_from_stdin(settings, db, session):
    result = runner.invoke(
        app,
        [
            "create-user",
            "Staff@Example.org",
            "--role",
            "staff",
            "--name",
            "Fatou",
            "--password-stdin",
        ],
        input="a long staff password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(select(UserAccount))
    assert (user.email, user.role, user.display_name) == ("staff@example.org", "staff", "Fatou")
    assert verify_password(user.password_hash, "a long staff password")
    again = runner.invoke(
        app, ["create-user", "staff@example.org", "--password-stdin"], input="a new long password\n"
    )
    assert again.exit_code == 1 and "already uses staff@example.org" in again.output


def test_the_password_is_prompted_for_twice(settings, db, session):
    result = runner.invoke(
        app, ["create-user", "admin@example.org", "--role", "admin"], input="admin passphrase\n" * 2
    )
    assert result.exit_code == 0, result.output
    assert session.scalar(select(UserAccount.role)) == "admin"


def test_a_short_password_or_unknown_role_is_refused(settings, db, session):
    short = runner.invoke(
        app, ["create-user", "a@example.org", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1 and "password" in short.output
    role = runner.invoke(app, ["create-user", "a@example.org", "--role", "king"], input="x\n")
    assert role.exit_code == 2
    assert session.scalar(select(UserAccount)) is None


def test_a_weak_password_is_refused_by_the_installed_command(settings, db, session):
    """Through the installed `passerelle` command, as an operator runs it."""
    command = Path(sys.executable).with_name("passerelle")
    done = subprocess.run(
        [command, "create-user", "fatou.sow@example.org", "--name", "Fatou Sow",
         "--password-stdin"],
        input="fatousow2024\n", capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "error: password: This password is built from your name" in done.stderr
    assert session.scalar(select(UserAccount)) is None
