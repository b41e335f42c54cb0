"""Names of the slots, the form and the intents that more than one process
relies on (domain.yml, the actions, the channels, the review workspace), so a
rename is one edit here plus the domain."""

# Contract slots (see the README): the disposition and the red-flag codes so far.
TRIAGE_LEVEL = "triage_level"
RED_FLAGS = "red_flags"
REQUESTED_SLOT = "requested_slot"  # Rasa's own: the form's pending question
# Set once someone was told to call 911 or a CareLine nurse, until the session
# ends: data/rules/escalation.yml. Its values: whose advice it is.
ESCALATION_IN_FORCE = "escalation_in_force"
FOR_SELF, FOR_SOMEONE_ELSE = "self", "someone_else"

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
START_SYMPTOM_CHECK = "start_symptom_check"
STOP = "stop"
# Entity: the question asked beside a report of one's own pain (its intent),
# answered before the symptom check starts (bot/nlu/own_pain_router.py).
ASKED = "asked"
# Entity: the red-flag group the learned net suspects (bot/nlu/suspicion_extractor.py);
# slot: its yes/no question is waiting for an answer (bot/core/suspicion.py).
SUSPECTED = "suspected"
SUSPICION_PENDING = "suspicion_pending"
START_SYMPTOM_CHECK_PAYLOAD = "/start_symptom_check"  # the "Check my symptoms" button
# User message metadata from SMS: the number typed for a menu option, and the
# option it meant (the transcript shows "1 -> Lower back", not the payload).
SMS_CHOICE = "sms_choice"
# User message metadata from every channel: the reference code an escalation
# of this message gets, made by the channel before anything runs, so the
# fail-safe's call card and the action's carry the same code
# (bot/core/reference_code.py).
REFERENCE_CODE = "reference_code"
