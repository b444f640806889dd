"""Believable words for the drill: names, customer reports, executives asking for news.

All of it comes from a Faker instance and a ``random.Random`` seeded by the
session seed, so the chatter varies between seeds but a seed replays exactly.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, cast

from faker import Factory

if TYPE_CHECKING:
    from faker import Faker

NOISE_ALERT_NAMES = (
    "DiskSpaceLow",
    "HighCPUUsage",
    "PodCrashLooping",
    "NodeNotReady",
    "KafkaConsumerLag",
    "CertificateExpiringIn30Days",
    "HighMemoryUsage",
    "NTPClockSkew",
    "BackupJobSlow",
    "InodeUsageHigh",
    "ContainerOOMKilled",
    "SlowQueryLogGrowing",
    "CronJobFailed",
    "HTTPProbeFlaky",
    "LoadBalancerUnhealthyTarget",
    "RedisEvictionsHigh",
)

_CUSTOMER_REPORTS = (
    "Hi, I've tried to {verb} three times now and it just spins and then says something went "
    "wrong. Is {brand} down?",
    "Your {thing} page keeps giving me an error. I was charged?? Please check.",
    "@{brand}Help is anyone else getting errors when trying to {verb}? Been like this for "
    "{minutes} minutes",
    "Can't {verb}. Tried the app and the website. Error 500. This is the second time this month.",
    "Getting 'Something went wrong, please try again later' every time I {verb}.",
)
_VERBS = {
    "checkout": ("check out", "pay for my order"),
    "payments": ("pay", "complete my payment"),
    "api": ("load my dashboard", "sync my data"),
    "search": ("search for anything", "find products"),
    "login": ("log in", "sign in"),
}
_EXEC_ASKS = (
    "Hey, I'm hearing from sales that {service} is broken for customers. What's going on and "
    "when will it be fixed?",
    "Can someone give me a quick summary? I have a call with the board in 20 minutes.",
    "Is this the thing customers are tweeting about? Who's running this?",
    "What's the customer impact right now? I need a number for the exec channel.",
)
_STAKEHOLDER_ASKS = (
    "Any update? Last I heard was {since}.",
    "Checking in again: is {service} still affected? Support is asking.",
    "Do we have an ETA I can share with the account teams?",
    "Could I get a one-line status for leadership?",
)


# Only the providers the chatter draws from. Faker("en_US") builds all ~25 of them
# (~14 ms of every launch); with the same seed the draws are the same (tested).
FAKER_PROVIDERS = ("faker.providers.person", "faker.providers.company")


class Chatter:
    """The drill's source of names and words, seeded per session."""

    def __init__(self, seed: int) -> None:
        # The generator answers the same methods as a Faker; its stubs are Faker's.
        generator = Factory.create("en_US", providers=list(FAKER_PROVIDERS))
        self.fake = cast("Faker", generator)
        self.fake.seed_instance(seed)
        self.random = random.Random(f"{seed}:chatter")
        self._used_names: set[str] = set()

    def person_name(self) -> str:
        """A first name and last initial, never the same twice in a session."""
        for _ in range(50):
            name = f"{self.fake.first_name()} {self.fake.last_name()[0]}."
            if name not in self._used_names:
                self._used_names.add(name)
                return name
        name = f"{self.fake.first_name()} {len(self._used_names)}"
        self._used_names.add(name)
        return name

    def customer_name(self) -> str:
        """A customer's full name."""
        return str(self.fake.name())

    def host(self, service: str) -> str:
        """A plausible host or pod name for ``service``."""
        if self.random.random() < 0.5:
            suffix = self.fake.hexify("^^^^^^^^^-^^^^^")
            return f"{service}-{suffix}"
        return (
            f"ip-10-{self.random.randint(0, 31)}-{self.random.randint(0, 255)}-"
            f"{self.random.randint(1, 254)}.ec2.internal"
        )

    def _verb(self, service: str | None) -> str:
        for key, verbs in _VERBS.items():
            if service and key in service:
                return self.random.choice(verbs)
        return self.random.choice(("check out", "log in", "load the page"))

    def customer_report(self, service: str | None, minutes: int) -> str:
        """A customer's report of the symptom, in their own words."""
        template = self.random.choice(_CUSTOMER_REPORTS)
        return template.format(
            verb=self._verb(service),
            brand=self.fake.company().split()[0].strip(","),
            thing=service or "checkout",
            minutes=max(2, minutes),
        )

    def executive_ask(self, service: str) -> str:
        """An executive asking for news."""
        return self.random.choice(_EXEC_ASKS).format(service=service)

    def stakeholder_ask(self, service: str, since: str) -> str:
        """A stakeholder chasing an update."""
        return self.random.choice(_STAKEHOLDER_ASKS).format(service=service, since=since)

    def support_surge(self, tickets: int, service: str) -> str:
        """Support's message about a pile of tickets."""
        return (
            f"Heads up: {tickets} new tickets in the last 10 minutes mentioning {service} "
            f'errors. Top phrase: "{self._verb(service)}". Do we have anything I can tell '
            "customers?"
        )

    def noise_name(self, names: tuple[str, ...]) -> str:
        """An alert name for a noise alert."""
        return self.random.choice(names or NOISE_ALERT_NAMES)
