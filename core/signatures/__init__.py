"""The one three-party signing mechanism, used by every signed document.

A signed document (a training plan version, a progress review or its addendum, a gateway sign-off) describes
itself to the mechanism as a ``Document`` (see ``services``): its version, its content hash, who may sign for
which role, which roles have signed, and what happens when the last one does. The mechanism does the rest, the
same way for every document:

- the signer names the version **and content hash** they read; if the document changed since, the signature is
  refused with a 409 that names the current version ("the plan changed since you opened it — read version 3");
- the signer types their full name and re-authenticates with their password or an authenticator code;
- who, for which role, when, from which address and browser, how they proved it, and the content hash are
  recorded on a row of the document's signature table (each table is a ``Signature`` subclass, so every
  signature has the same columns and keeps a real foreign key to its document);
- pages use one form (``forms.SignForm``, ``templates/includes/sign_form.html``), the API one serializer
  (``api.SignSerializer``), and PDFs one signature log (``pdf.signature_log``).
"""
