"""The red-flag detector on hundreds of labelled phrasings.

tests/sets/red_flag_phrasings.yml holds positives (the writer's own red
flags, written the way patients write) and traps (negation, family,
hypothetical, resolved history, lookalike words). Targets from the triage
issue: 100% recall on positives, at least 95% of traps left unflagged.
"""
from collections import Counter

import pytest

from bot.core.red_flag_rules import red_flags
from bot.eval.red_flag_scoring import (flagged_traps, load_phrasings, missed_positives,
                                       wrongly_affirmed)
from bot.nlu.red_flag_detector import affirmed_codes, detect, normalise
from tests.sets import RED_FLAG_PHRASINGS

SET = load_phrasings(RED_FLAG_PHRASINGS)


def test_the_set_is_big_and_covers_every_red_flag():
    assert len(SET["positives"]) + len(SET["traps"]) >= 300
    covered = Counter(code for case in SET["positives"] for code in case["codes"])
    assert set(red_flags()) <= set(covered)
    kinds = Counter(case["kind"] for case in SET["traps"])
    assert {"negation", "family", "hypothetical", "historical", "lookalike"} <= set(kinds)


def test_recall_on_positives_is_100_percent():
    missed = missed_positives(SET["positives"])
    assert missed == []


def test_mixed_messages_do_not_affirm_the_negated_part():
    wrong = wrongly_affirmed(SET["positives"])
    assert wrong == []


def test_traps_are_not_flagged_at_least_95_percent_of_the_time():
    flagged = flagged_traps(SET["traps"])
    precision = 1 - len(flagged) / len(SET["traps"])
    print(f"\ntrap precision {precision:.3f}; flagged: {flagged}")
    assert precision >= 0.95


@pytest.mark.parametrize(
    "code, example",
    [(flag.code, example) for flag in red_flags().values() for example in flag.examples],
)
def test_every_example_in_the_rules_file_is_caught(code, example):
    assert code in affirmed_codes(example)


@pytest.mark.parametrize("text, code, attribute", [
    ("no fever", "fever", "negated"),
    ("i dont have any numbness in my groin", "saddle_numbness", "negated"),
    ("my dad had cancer", "cancer_history", "family"),
    ("cancer runs in my family", "cancer_history", "family"),
    ("what if i lose control of my bladder later?", "bladder_bowel_loss", "hypothetical"),
    ("is numbness in both legs a bad sign?", "leg_weakness_bilateral", "hypothetical"),
    ("i had a fever years ago", "fever", "historical"),
])
def test_context_is_reported_on_each_mention(text, code, attribute):
    mentions = [m for m in detect(text) if m.code == code]
    assert mentions and getattr(mentions[0], attribute) and not mentions[0].affirmed


def test_cancer_history_counts_even_though_it_is_history():
    mentions = [m for m in detect("i had breast cancer 10 years ago") if m.code == "cancer_history"]
    assert mentions[0].historical and mentions[0].affirmed


def test_offsets_point_at_the_original_text():
    text = "Hi. I can’t pee and I’m scared"
    (mention,) = [m for m in detect(text) if m.code == "urinary_retention"]
    assert text[mention.start:mention.end] == mention.text and "pee" in mention.text


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02", "🙂" * 50, "<script>alert(1)</script>"])
def test_odd_input_gives_no_mentions_and_no_error(text):
    assert detect(text) == []


def test_a_red_flag_deep_inside_a_very_long_message_is_found():
    text = "my back is sore. " * 600 + "and now i cant pee. " + "thanks " * 100
    assert "urinary_retention" in affirmed_codes(text)


# Someone else's emergency is still an emergency (issue 13, layer 2).

@pytest.mark.parametrize("text, code", [
    ("my husband's back hurts and he can't feel his legs", "leg_weakness_bilateral"),
    ("my wife peed herself and her back is killing her", "bladder_bowel_loss"),
    ("my dad has crushing chest pain with his back pain", "chest_pain"),
    ("my son has a fever and his back hurts", "fever"),
    ("my son says he wants to kill himself", "self_harm"),
    # a risk factor with that person's back pain now: urgent for them
    ("my brother injects drugs and his back hurts", "iv_drug_use"),
    ("writing for my mom, she's on chemo and now has back pain", "immunosuppressed"),
    ("My husband is a liver transplant recipient and has new low back pain", "immunosuppressed"),
    ("mi papa tiene dolor de espalda y no puede respirar bien", "breathing_trouble"),
])
def test_someone_elses_present_sign_needs_escalation_but_is_not_the_writers(text, code):
    (mention,) = [m for m in detect(text) if m.code == code]
    assert mention.family and mention.someone_else_now and mention.escalating_for_someone_else
    assert not mention.affirmed and not mention.escalating and mention.needs_escalation
    assert text[mention.start:mention.end] == mention.text


@pytest.mark.parametrize("text", [
    "my mom had cancer",                            # someone else's history
    "my dad has osteoporosis",                      # someone else's risk factor
    "my brother injects drugs and my back hurts",   # a risk factor, theirs, and my pain
    "what if my husband can't feel his legs?",      # a question about the future
    "my mom had a fever last year",                 # over
    # the writer's own back pain, named between their risk factor and "back pain"
    "my brother had a liver transplant and I'm his caregiver; I have back pain from lifting him",
    "my mom had breast cancer yrs ago, i have back pain since lifting a couch",
])
def test_someone_elses_history_risk_or_hypothetical_needs_nothing(text):
    assert not any(m.needs_escalation for m in detect(text))


def test_a_sign_written_in_the_third_person_without_a_relative_is_taken_as_the_writers():
    (mention,) = detect("he can't feel his legs")
    assert mention.affirmed and mention.escalating  # the safe reading: 911 for the writer


def test_the_first_person_rewrite_keeps_offsets_on_what_was_written():
    text, positions = normalise("She wet HERSELF, her legs")
    assert text == "she wet myself, my legs"
    assert len(positions) == len(text) + 1
    assert "She wet HERSELF, her legs"[positions[8]:positions[13] + 1] == "HERSELF"


def test_misspellings_and_accents_are_read_as_the_words_meant_and_spans_point_at_what_was_written():
    written = "Cudnt feel my legz, tuve cáncer"
    text, _ = normalise(written)
    assert text == "can't feel my legs, tuve cancer"
    codes = {m.code: m.text for m in detect(written) if m.affirmed}
    assert codes == {"leg_weakness_bilateral": "Cudnt feel my legz", "cancer_history": "cáncer"}


@pytest.mark.parametrize("text, code", [
    ("my legs both feel like jello", "leg_weakness_bilateral"),
    ("both legs numd", "leg_weakness_bilateral"),
    ("when i wipe i cant really feel it", "saddle_numbness"),
    ("i have a heavy pressure in the middle of my chest", "chest_pain"),
    ("been trying to pee for hours and only a few drops", "urinary_retention"),
    ("i leaked through my jeans and didnt notice", "bladder_bowel_loss"),
    ("the pain moved up into my left arm", "arm_jaw_pain"),
    ("like something ripped inside my back", "tearing_pain"),
    # from development batch 2026-11-29g
    ("had a uti last week finished the antibiotics n now my back hurts", "recent_infection"),
    ("Constant low back pain, not relieved by recumbency, waking me nightly", "night_pain"),
    ("reduced sensation over the perineum when wiping", "saddle_numbness"),
    ("this evening I could not make it to the lavatory in time and never felt the need",
     "bladder_bowel_loss"),
    ("some nights it would be easier if I just wasn't here anymore, I've thought about how I'd do it",
     "self_harm"),
    ("I missed the bottom step on the cellar stairs and came down hard on my back", "trauma"),
])
def test_concepts_are_found_together_in_any_order(text, code):
    assert code in affirmed_codes(text)


@pytest.mark.parametrize("text, code", [
    ("my legs are not numb", "leg_weakness_bilateral"),        # the negation sits between the concepts
    ("what if my legs go numb later", "leg_weakness_bilateral"),
    ("my legs are fine but my foot is numb", "leg_weakness_bilateral"),  # different clauses
    ("i moved a chest of drawers and my back hurts", "chest_pain"),
    ("jaw pain from a bad tooth", "arm_jaw_pain"),
    ("getting cabin fever resting my back", "fever"),
])
def test_concepts_respect_context_clauses_and_look_alikes(text, code):
    assert code not in affirmed_codes(text)


def test_someone_elses_concept_sign_is_theirs_now():
    (mention,) = [m for m in detect("my husband says both his legs feel like jello") if m.code == "leg_weakness_bilateral"]
    assert mention.someone_else_now and not mention.affirmed


@pytest.mark.parametrize("text, code", [
    ("i cant pee since this morning, is that bad?", "urinary_retention"),
    ("my legs went numb, is that normal?", "leg_weakness_bilateral"),
    ("I can't feel anything when I wipe. Is this an emergency?", "saddle_numbness"),
])
def test_a_sign_told_then_asked_about_is_still_a_sign(text, code):
    """Asking "is that bad?" about something one has now is not a question about later."""
    assert code in affirmed_codes(text)


@pytest.mark.parametrize("text, code", [
    ("I have not had a fall and my back is sore", "trauma"),
    ("I don't feel numb down there, my back just aches", "saddle_numbness"),
    ("Mechanical LBP 4 days. Denies saddle anesthesia, bowel/bladder changes, fever, weight loss.", "fever"),
    ("y si me da fiebre con el dolor de espalda?", "fever"),
    ("it doesn't go into my arm, I checked", "arm_jaw_pain"),
    ("my back hurts but i dont wanna hurt myself, just annoyed", "self_harm"),
    ("My pants were soaked after I spilled coffee in the car", "bladder_bowel_loss"),
    ("me cai de una escalera hace como 8 anos, pero eso ya paso", "trauma"),
    ("sorry i wasn't here last week when you called", "self_harm"),
])
def test_denials_and_questions_about_later_are_not_signs(text, code):
    assert code not in affirmed_codes(text)


@pytest.mark.parametrize("text, code", [
    ("A couple of years ago I had a bladder infection but it cleared up", "recent_infection"),
    ("my legs was numd long time ago after baby. fine now", "leg_weakness_bilateral"),
])
def test_old_history_told_in_the_past_tense_stays_history(text, code):
    assert code not in affirmed_codes(text)


def test_the_writer_in_the_past_tense_still_ends_someone_elses_sign():
    assert "trauma" in affirmed_codes("my mom had cancer and I had a fall down the stairs")
