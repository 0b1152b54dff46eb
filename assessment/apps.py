from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        # Services queue the award job tasks by name (assessment.award_jobs); the web process must know them.
        from assessment import learner_data, tasks  # noqa: F401
        from learners.signals import learner_erase, learner_export_collect

        learner_export_collect.connect(learner_data.on_learner_export_collect, dispatch_uid="assessment-export")
        learner_erase.connect(learner_data.on_learner_erase, dispatch_uid="assessment-erase")
