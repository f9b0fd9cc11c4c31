"""What a group does between ratings: actions, engagement, evidence, consultations, feedback."""
