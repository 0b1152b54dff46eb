# Learners claim credentials by recipient identifier (badges.Credential.recipient_identifier);
# their identities, wallets and claims are modelled here.
