# Evidence, rubrics and results: assessment decides that an achievement is earned and then calls
# badges.services.credential_issue.
