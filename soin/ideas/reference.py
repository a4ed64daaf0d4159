"""The seven shared societal challenges, loaded by a data migration."""

from __future__ import annotations

from typing import Any

# The seven societal challenges as seed 003 §4.3 words them (Horizon 2020's).
CHALLENGES = [
    (
        "health",
        "Hälsa, demografiska förändringar och välbefinnande",
        "Health, demographic change and wellbeing",
    ),
    (
        "food-bioeconomy",
        "Livsmedelstrygghet, hållbart jord- och skogsbruk, marin-, maritim- samt insjöforskning "
        "och bioekonomi",
        "Food security, sustainable agriculture and forestry, marine, maritime and inland water "
        "research, and the bioeconomy",
    ),
    ("energy", "Säker, ren och effektiv energi", "Secure, clean and efficient energy"),
    (
        "transport",
        "Smarta, gröna och integrerade transporter",
        "Smart, green and integrated transport",
    ),
    (
        "climate",
        "Klimatåtgärder, miljö, resurseffektivitet och råvaror",
        "Climate action, environment, resource efficiency and raw materials",
    ),
    (
        "inclusive-societies",
        "Europa i en föränderlig värld – Inkluderande, innovativa och reflekterande samhällen",
        "Europe in a changing world – inclusive, innovative and reflective societies",
    ),
    (
        "secure-societies",
        "Säkra samhällen – säkerställa frihet och trygghet för Europa och dess medborgare",
        "Secure societies – protecting freedom and security of Europe and its citizens",
    ),
]


def load_challenges(challenge_model: Any) -> None:
    Challenge = challenge_model
    for position, (key, name_sv, name_en) in enumerate(CHALLENGES, start=1):
        Challenge.objects.update_or_create(
            partnership=None,
            key=key,
            defaults={"name_sv": name_sv, "name_en": name_en, "position": position},
        )
