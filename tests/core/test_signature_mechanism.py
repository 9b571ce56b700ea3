"""The signing mechanism on its own, with a document that lives in memory: the rules every signed document
shares (the suites over training plans, reviews and gateway sign-offs check each document's wiring)."""

from __future__ import annotations

import pytest

from core.errors import ActionNotAllowed, ConflictError, DomainError
from core.signatures import services as signing
from core.signatures.forms import SignForm
from core.signatures.services import Origin, Proof
from tests.factories import PASSWORD, UserFactory


class Paper:
    """A two-party document: the 'author' and the 'reader' sign version ``version`` of ``text``."""

    noun = "the paper"
    role_words = {"author": "the author", "reader": "the reader"}
    who_signs = "Only the author and the reader sign the paper."

    def __init__(self, author, reader, *, version=2, text="hello"):
        self.people = {"author": author, "reader": reader}
        self.version = version
        self.text = text
        self.content_hash = self.hash_of(text)
        self.rows: list[dict] = []
        self.closed = False
        self.completed = False

    @staticmethod
    def hash_of(text: str) -> str:
        import hashlib

        return hashlib.sha256(text.encode()).hexdigest()

    def lock(self):
        pass

    def refuse_if_closed(self):
        if self.closed:
            raise ConflictError("The paper is not open for signature.")

    def roles_held_by(self, user):
        return [role for role, person in self.people.items() if person.pk == user.pk]

    def signed_roles(self):
        return {row["role"] for row in self.rows}

    def content_matches(self):
        return self.hash_of(self.text) == self.content_hash

    def record(self, **fields):
        self.rows.append(fields)
        return fields

    def after_signature(self, signature, *, outstanding):
        self.completed = not outstanding


@pytest.fixture
def people(db):
    return (
        UserFactory(full_name="Ada Author"),
        UserFactory(full_name="Rex Reader"),
        UserFactory(full_name="Olly"),
    )


def proof_for(paper, user, **overrides):
    values = {
        "version": paper.version,
        "content_hash": paper.content_hash,
        "full_name": user.full_name,
        "password": PASSWORD,
    }
    return Proof(**{**values, **overrides})


def test_both_parties_sign_and_the_last_signature_completes_the_document(people):
    author, reader, _ = people
    paper = Paper(author, reader)
    first = signing.sign(
        paper, by=author, proof=proof_for(paper, author), origin=Origin("10.0.0.1", "Firefox")
    )
    assert first["role"] == "author" and first["method"] == "password"
    assert first["content_hash"] == paper.content_hash and first["ip_address"] == "10.0.0.1"
    assert not paper.completed
    signing.sign(paper, by=reader, proof=proof_for(paper, reader, full_name="  rex   READER "))
    assert paper.completed and [r["role"] for r in paper.rows] == ["author", "reader"]
    assert paper.rows[1]["typed_name"] == "rex READER"


def test_a_stale_read_is_refused_naming_the_current_version(people):
    author, reader, _ = people
    paper = Paper(author, reader, version=3)
    read_earlier = proof_for(paper, author, version=2)
    with pytest.raises(ConflictError, match="The paper changed since you opened it — read version 3"):
        signing.sign(paper, by=author, proof=read_earlier)
    other_hash = proof_for(paper, author, content_hash=Paper.hash_of("an older text"))
    with pytest.raises(ConflictError, match="read version 3"):
        signing.sign(paper, by=author, proof=other_hash)
    assert paper.rows == []


def test_a_signer_must_say_what_they_read(people):
    author, reader, _ = people
    paper = Paper(author, reader)
    with pytest.raises(DomainError, match="Say which version you read") as refused:
        signing.sign(paper, by=author, proof=proof_for(paper, author, version=None, content_hash=""))
    assert refused.value.field == "content_hash" and paper.rows == []


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"full_name": ""}, "Type your full name to sign.", "full_name"),
        (
            {"full_name": "Somebody Else"},
            "Type your full name exactly as it appears: Ada Author.",
            "full_name",
        ),
        ({"password": ""}, "Enter your password to sign.", "password"),
        ({"password": "wrong-password"}, "The password is not correct.", "password"),
        ({"password": "", "code": "123456"}, "The authenticator code is not correct.", "code"),
    ],
)
def test_a_bad_name_or_secret_is_a_400_with_nothing_recorded(people, overrides, message, field):
    author, reader, _ = people
    paper = Paper(author, reader)
    with pytest.raises(DomainError) as refused:
        signing.sign(paper, by=author, proof=proof_for(paper, author, **overrides))
    assert str(refused.value) == message and refused.value.field == field
    assert not isinstance(refused.value, ConflictError | ActionNotAllowed)
    assert paper.rows == []


def test_roles_are_checked_before_anything_is_recorded(people):
    author, reader, outsider = people
    paper = Paper(author, reader)
    with pytest.raises(ActionNotAllowed, match="Only the author and the reader"):
        signing.sign(paper, by=outsider, proof=proof_for(paper, outsider))
    with pytest.raises(ActionNotAllowed, match="You cannot sign as the reader"):
        signing.sign(paper, by=author, proof=proof_for(paper, author, role="reader"))
    with pytest.raises(DomainError, match="'editor' is not a signing role"):
        signing.sign(paper, by=author, proof=proof_for(paper, author, role="editor"))
    signing.sign(paper, by=author, proof=proof_for(paper, author))
    with pytest.raises(ConflictError, match="You have already signed the paper"):
        signing.sign(paper, by=author, proof=proof_for(paper, author))
    with pytest.raises(ConflictError, match="The author has already signed the paper"):
        signing.sign(paper, by=author, proof=proof_for(paper, author, role="author"))
    assert len(paper.rows) == 1


def test_one_person_holding_two_roles_says_which(people):
    author, _, _ = people
    paper = Paper(author, author)
    with pytest.raises(DomainError, match="more than one role"):
        signing.sign(paper, by=author, proof=proof_for(paper, author))
    signing.sign(paper, by=author, proof=proof_for(paper, author, role="reader"))
    assert paper.rows[0]["role"] == "reader"


def test_a_closed_or_tampered_document_is_not_signed(people):
    author, reader, _ = people
    paper = Paper(author, reader)
    paper.closed = True
    with pytest.raises(ConflictError, match="not open for signature"):
        signing.sign(paper, by=author, proof=proof_for(paper, author))
    paper.closed = False
    paper.text = "changed behind the hash"
    with pytest.raises(ConflictError, match="no longer matches"):
        signing.sign(paper, by=author, proof=proof_for(paper, author))
    assert paper.rows == []


def test_the_sign_form_carries_what_the_signer_read(people):
    author, reader, _ = people
    paper = Paper(author, reader, version=4)
    form = SignForm(roles=[("author", "Author")], uses_mfa=False, document=paper)
    assert form["version"].value() == 4 and form["content_hash"].value() == paper.content_hash
    assert "role" not in form.fields and "code" not in form.fields
    posted = SignForm(
        {"version": "4", "content_hash": paper.content_hash, "full_name": "Ada Author", "password": PASSWORD},
        roles=[("author", "Author"), ("reader", "Reader")],
        uses_mfa=True,
    )
    assert not posted.is_valid() and "role" in posted.errors
    posted.data = {**posted.data, "role": "reader"}
    posted = SignForm(posted.data, roles=[("author", "Author"), ("reader", "Reader")], uses_mfa=True)
    assert posted.is_valid(), posted.errors
    assert posted.proof() == Proof(4, paper.content_hash, "Ada Author", PASSWORD, "", "reader")


def test_a_stale_read_carries_what_is_current_for_the_page_to_show(people):
    author, reader, _ = people
    paper = Paper(author, reader, version=3)
    with pytest.raises(signing.StaleRead) as refused:
        signing.sign(paper, by=author, proof=proof_for(paper, author, version=2))
    assert (refused.value.version, refused.value.content_hash) == (3, paper.content_hash)
    assert refused.value.status_code == 409


def test_a_document_may_keep_an_order_between_its_parties(people):
    author, reader, _ = people

    class Ordered(Paper):
        def refuse_out_of_turn(self, role):
            if role == "reader" and "author" not in self.signed_roles():
                raise ConflictError("The author signs first.")

    paper = Ordered(author, reader)
    with pytest.raises(ConflictError, match="The author signs first."):
        signing.sign(paper, by=reader, proof=proof_for(paper, reader))
    signing.sign(paper, by=author, proof=proof_for(paper, author))
    signing.sign(paper, by=reader, proof=proof_for(paper, reader))
    assert [row["role"] for row in paper.rows] == ["author", "reader"]


def test_the_sign_form_accepts_older_role_names_as_aliases(people):
    author, reader, _ = people
    paper = Paper(author, reader)
    data = {
        "version": "2",
        "content_hash": paper.content_hash,
        "full_name": "Ada Author",
        "password": PASSWORD,
    }
    form = SignForm(
        {**data, "role": "writer"},
        roles=[("author", "Author"), ("reader", "Reader")],
        uses_mfa=False,
        aliases={"writer": "author"},
    )
    assert form.is_valid(), form.errors
    assert form.proof().role == "author"


def test_the_canonical_hash_ignores_key_order_and_spacing():
    assert signing.canonical_hash({"b": 1, "a": [1, "é"]}) == signing.canonical_hash({"a": [1, "é"], "b": 1})
    assert len(signing.canonical_hash({})) == 64
