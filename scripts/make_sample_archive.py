"""Write the bundled synthetic archive trainer/tweetbot_trainer/samples/tweets.js (deterministic).

Every post is made up from the phrases below; no real account's posts are used. The mix exercises every
cleaning rule: reposts ("RT @"), replies, quotes, links, hashtags, HTML entities, newlines and short posts.
Run: python scripts/make_sample_archive.py
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "trainer" / "tweetbot_trainer" / "samples" / "tweets.js"
SEED = 20241125
N_POSTS = 620

OPENERS = [
    "Honestly,",
    "Hot take:",
    "Small win today:",
    "Reminder to myself:",
    "Update:",
    "Quick thought:",
    "Still thinking about how",
    "Can't believe",
    "Turns out",
    "Fun fact:",
    "Note to future me:",
    "Today I learned",
    "Weekend plan:",
    "Unpopular opinion:",
    "Morning thought:",
    "PSA:",
    "Confession:",
    "Just realised",
]
SUBJECTS = [
    "the bakery on the corner",
    "my sourdough starter",
    "the new bike lane",
    "our tomato plant",
    "the 7:40 train",
    "this old paperback",
    "the neighbour's cat",
    "my tiny balcony garden",
    "the office plant",
    "the river path",
    "the library's reading room",
    "my first marathon training plan",
    "the jazz trio downstairs",
    "that little ramen place",
    "my cast iron pan",
    "the farmers market",
    "a rainy Sunday",
    "my test suite",
    "the README I wrote last year",
    "the hiking trail up the hill",
    "the late night bus",
    "my record collection",
]
VERBS = [
    "made my whole week better",
    "is quietly the best part of the city",
    "deserves more appreciation",
    "taught me more than any course",
    "keeps surprising me",
    "needs a little more patience than I have",
    "smells like cinnamon and good decisions",
    "is the reason I get up early",
    "somehow fixed my mood",
    "was worth every minute",
    "is louder than it has any right to be",
    "feels like a small holiday",
    "broke in the most interesting way",
    "reminded me to slow down",
    "still has no business being this good",
]
DETAILS = [
    "I should write down why before I forget.",
    "Tomorrow I'm trying it again with more coffee.",
    "Ten out of ten, would recommend to a friend.",
    "Nobody warned me it would be this much fun.",
    "The trick was to stop overthinking and just start.",
    "My notes app is now full of ideas.",
    "Next time I'm bringing a thermos and a better playlist.",
    "I took far too many photos of it.",
    "It only took three tries and one long walk.",
    "Somewhere a past version of me is laughing.",
    "If you see me smiling on the street, this is why.",
    "The rain held off just long enough.",
    "I'm calling it a personal record and nobody can stop me.",
    "Lesson learned: read the manual first.",
]
TAGS = ["#sourdough", "#cycling", "#gardening", "#python", "#running", "#bookclub", "#coffee", "#weekend"]
FRIENDS = ["maya_codes", "tom_bakes", "river_runner", "plantdad", "jazzfan42", "nora_reads", "cityslowly"]
REPLIES = [
    "that looks amazing, save me a slice next time",
    "agreed, the mornings there are something else",
    "you have to try the one with roasted garlic",
    "I laughed way too hard at this on the bus",
    "same thing happened to me last spring, it gets better",
    "this is exactly the energy I needed today",
    "okay but how did you get the crust that crispy",
    "adding this to my list for the weekend",
]
SHORTS = ["lol", "so true", "yes!!", "ok", "wow", "same", "good morning", "brb coffee", "nice"]
QUESTIONS = [
    "What's the one small thing that made your day better?",
    "Does anyone else read the last page first?",
    "How do you all keep a plant alive through winter?",
    "Tea or coffee while coding, and why?",
    "What should I bake this weekend?",
    "Best book you read this year, go.",
]


def make_text(rng: random.Random) -> tuple[str, dict[str, object]]:
    """One post's text and the archive fields that go with its kind."""
    roll = rng.random()
    extra: dict[str, object] = {}
    if roll < 0.10:
        friend = rng.choice(FRIENDS)
        body = f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)}. {rng.choice(DETAILS)}"
        return f"RT @{friend}: {body}"[:280], extra
    if roll < 0.17:
        text = rng.choice(SHORTS)
        if rng.random() < 0.5:
            text += f" https://t.co/{rng.randrange(16**8):08x}"
        return text, extra
    if roll < 0.32:
        friend = rng.choice(FRIENDS)
        extra = {"in_reply_to_status_id_str": str(rng.randrange(10**17, 10**18)), "in_reply_to_screen_name": friend}
        return f"@{friend} {rng.choice(REPLIES)}", extra
    if roll < 0.38:
        return rng.choice(QUESTIONS), extra
    text = f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(VERBS)}."
    if rng.random() < 0.7:
        text += ("\n\n" if rng.random() < 0.3 else " ") + rng.choice(DETAILS)
    if rng.random() < 0.15:
        text = text.replace(" and ", " &amp; ", 1)
    if rng.random() < 0.25:
        text += f" {rng.choice(TAGS)}"
    if rng.random() < 0.2:
        status = rng.randrange(10**17, 10**18)
        extra = {
            "entities": {"urls": [{"url": "https://t.co/q", "expanded_url": f"https://twitter.com/x/status/{status}"}]}
        }
        text += " https://t.co/q"
    elif rng.random() < 0.2:
        text += f" https://t.co/{rng.randrange(16**8):08x}"
    return text, extra


def build(seed: int = SEED, n_posts: int = N_POSTS) -> list[dict[str, object]]:
    rng = random.Random(seed)
    when = datetime(2024, 11, 1, 9, 0, tzinfo=UTC)
    records: list[dict[str, object]] = []
    for i in range(n_posts):
        text, extra = make_text(rng)
        when -= timedelta(minutes=rng.randint(20, 1500))
        tweet: dict[str, object] = {
            "id_str": str(1850000000000000000 - i * 7919),
            "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "full_text": text,
            "lang": "en",
            "retweeted": False,
            "entities": {"urls": []},
        }
        tweet.update(extra)
        records.append({"tweet": tweet})
    return records


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("window.YTD.tweets.part0 = " + json.dumps(build(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
