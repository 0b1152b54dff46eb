"""Hooks through which higher layers (such as assessment) take part in a learner's data export and erasure.

learners may not import those apps, so they connect here instead:

- `learner_export_collect(sender, user)`: each receiver returns a list of `(path_in_zip, bytes)`;
- `learner_erase(sender, user)`: each receiver removes or anonymises the person's data it holds. It runs
  inside the deletion's transaction, so a receiver that fails leaves everything as it was.
"""

from django.dispatch import Signal

learner_export_collect = Signal()
learner_erase = Signal()
