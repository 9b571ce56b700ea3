"""Signals other apps listen to, so that programmes never imports the apps built on it.

``employer_changed`` is sent inside ``services.enrolment_change_employer``'s transaction once the new employment
period is recorded, with ``enrolment``, ``by``, ``employer`` and ``effective_on``; a receiver that raises undoes the
change (the training plan drafts its revision this way, see ``programmes/training_plans/receivers.py``).
"""

from django.dispatch import Signal

employer_changed = Signal()
