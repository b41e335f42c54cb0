"""Names of the slots, the form and the intents that more than one process
relies on (domain.yml, the actions, the channels, the review workspace), so a
rename is one edit here plus the domain."""

# Contract slots (see the README): the disposition and the red-flag codes so far.
TRIAGE_LEVEL = "triage_level"
RED_FLAGS = "red_flags"
REQUESTED_SLOT = "requested_slot"  # Rasa's own: the form's pending question

# The symptom check (a Rasa form) and its answers, in the order it asks.
SYMPTOM_FORM = "symptom_form"
PAIN_LOCATION = "pain_location"
LEG_SPREAD = "leg_spread"  # from the location answer: none | one | both
PAIN_PATTERN = "pain_pattern"
PAIN_DURATION = "pain_duration"
PAIN_SEVERITY = "pain_severity"
PAIN_IMPACT = "pain_impact"
AGE = "age"
RED_FLAG_SCREEN = "red_flag_screen"
FORM_SLOTS = (PAIN_LOCATION, LEG_SPREAD, PAIN_PATTERN, PAIN_DURATION, PAIN_SEVERITY,
              PAIN_IMPACT, AGE, RED_FLAG_SCREEN)

# Intents set or needed outside the classifier.
REPORT_RED_FLAG = "report_red_flag"  # set by the red-flag extractor, never learned
DESCRIBE_PAIN = "describe_pain"
STOP = "stop"
START_SYMPTOM_CHECK_PAYLOAD = "/start_symptom_check"  # the "Check my symptoms" button
