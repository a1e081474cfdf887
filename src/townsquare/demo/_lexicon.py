"""Words the demo's templates draw from, in French and English.

Everything here is invented: the parties, their candidates and the people are fictional, and
no name stands for anyone real. Templates name their slots `{like_this}`; each slot is a list
below for the template's language.
"""

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["FIRST_NAMES", "LAST_NAMES", "WORDS"]

# Word lists read best packed; the formatter would put each on its own line.
# fmt: off

FIRST_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "fr": (
            "Camille", "Léa", "Manon", "Chloé", "Inès", "Jade", "Louise", "Zoé", "Sarah",
            "Anaïs", "Mathilde", "Élodie", "Margaux", "Pauline", "Yasmine", "Aurélie",
            "Hélène", "Nadia", "Sophie", "Gaëlle", "Lucas", "Hugo", "Louis", "Gabriel",
            "Arthur", "Jules", "Nathan", "Théo", "Maxime", "Antoine", "Karim", "Mehdi",
            "Julien", "Romain", "Quentin", "Baptiste", "Nicolas", "Thomas", "Yanis",
            "Mathis", "Bastien", "Cyril", "Gérald", "Olivier", "Pierre", "Benoît", "Rémi",
            "Fatou", "Aïcha", "Éric",
        ),
        "en": (
            "Emma", "Olivia", "Ava", "Sophia", "Grace", "Chloe", "Lily", "Hannah", "Ruby",
            "Megan", "Priya", "Aisha", "Zara", "Nora", "Holly", "Jess", "Kate", "Amy",
            "Oliver", "Jack", "Harry", "George", "Noah", "Leo", "Oscar", "Liam", "Ethan",
            "Samuel", "Daniel", "Ryan", "Owen", "Callum", "Rohan", "Tom", "Ben", "Finn",
            "Sean", "Marcus", "Patrick", "Jamal",
        ),
    }
)

LAST_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "fr": (
            "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
            "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
            "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
            "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand",
            "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel",
            "Mathieu", "Benali", "Haddad", "Diallo", "Nguyen", "Lambert", "Faure", "Rousseau",
        ),
        "en": (
            "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Patel", "Wright", "Walker", "Evans", "Roberts", "Green", "Hall", "Wood", "Clarke",
            "Hughes", "Edwards", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris",
            "King", "Watson", "Harris", "Baker", "Khan", "Murphy", "Kelly", "Ahmed", "Shah",
        ),
    }
)

_FR: Mapping[str, tuple[str, ...]] = {
    "place": (
        "au marché", "à la boulangerie", "au parc", "à la médiathèque", "au bureau",
        "dans le métro", "au café du coin", "à la piscine", "chez mes parents", "au stade",
        "à la gare", "dans le train", "au resto d'en bas", "au jardin partagé",
    ),
    "food": (
        "une tarte aux pommes", "un gratin dauphinois", "des crêpes", "une ratatouille",
        "un couscous", "une quiche lorraine", "un pot-au-feu", "des lasagnes maison",
        "une soupe de potiron", "un curry de lentilles", "une galette complète",
        "un clafoutis aux cerises",
    ),
    "drink": ("un café serré", "un thé vert", "un chocolat chaud", "une limonade", "un déca"),
    "weather": (
        "il pleut des cordes", "grand soleil", "un brouillard à couper au couteau",
        "un vent à décorner les bœufs", "il fait enfin frais", "ciel tout gris",
    ),
    "transport": ("le RER", "le bus 38", "le tram", "la ligne 13", "mon vélo", "le TER"),
    "hobby": (
        "la course à pied", "la poterie", "les échecs", "le jardinage", "la guitare",
        "la photo argentique", "l'escalade", "le tricot", "le théâtre amateur", "la chorale",
    ),
    "activity": (
        "course à pied", "poterie", "échecs", "jardinage", "guitare", "photo argentique",
        "escalade", "tricot", "théâtre amateur", "chorale", "randonnée",
    ),
    "show": (
        "une série policière nordique", "un documentaire sur les abeilles",
        "le dernier film d'animation", "une émission de cuisine", "un vieux western",
        "un podcast d'histoire",
    ),
    "book": (
        "un polar islandais", "une BD sur la Résistance", "un roman de science-fiction",
        "un essai sur le sommeil", "un recueil de nouvelles",
    ),
    "feeling": (
        "Trop content", "Un peu crevé", "Franchement ravie", "Complètement lessivé",
        "Assez fière de moi", "De bonne humeur",
    ),
    "opener": ("", "", "", "Bon. ", "Petit bilan : ", "Journée chargée. ", "Confession : "),
    "closer": ("", "", "", " 😅", " 🙂", " Bref.", " Voilà voilà.", " ☕", " 🌧️", " 🎉"),
    "daily_tag": (
        "#dimanche", "#vélotaf", "#cuisine", "#lecture", "#rentrée", "#jardinage", "#foot",
        "#météo", "#ciné", "#boulot",
    ),
    "news_topic": (
        "la réforme des retraites complémentaires", "le prix de l'électricité",
        "la grève des contrôleurs", "la sécheresse dans le Sud", "la rentrée universitaire",
        "le budget des hôpitaux", "la fermeture d'une usine de batteries",
        "les inondations dans l'Ouest", "le prix du loyer dans les grandes villes",
        "la pénurie de médecins généralistes", "le nouveau plan vélo",
    ),
    "news_fact": (
        "hausse de 8 % sur un an", "une première depuis 2003", "trois régions concernées",
        "des négociations qui reprennent lundi", "un rapport publié ce matin",
        "un vote attendu au Parlement la semaine prochaine",
    ),
    "news_tag": ("#info", "#économie", "#climat", "#santé", "#logement", "#transports"),
    "horizon_topic": (
        "les transports publics gratuits", "la rénovation des logements",
        "la semaine de quatre jours", "les services publics de proximité",
        "la transition énergétique", "l'école et les enseignants", "le plan climat",
    ),
    "socle_topic": (
        "la baisse des impôts", "la sécurité du quotidien", "le pouvoir d'achat",
        "la relance du nucléaire", "le soutien aux petites entreprises",
        "la simplification administrative", "l'ordre et l'autorité de l'État",
    ),
    "election_tag": ("#Présidentielle2027", "#Election2027", "#DébatTV", "#Sondage"),
    "percent": ("19", "22", "24", "26", "27", "29", "31", "33"),
}

_EN: Mapping[str, tuple[str, ...]] = {
    "place": (
        "at the market", "at the bakery", "in the park", "at the library", "at the office",
        "on the metro", "at the corner café", "at the pool", "at my parents' place",
        "at the station", "on the train", "at the climbing gym", "at the allotment",
    ),
    "food": (
        "an apple crumble", "a vegetable lasagne", "pancakes", "a Thai green curry",
        "banana bread", "a shepherd's pie", "a lentil soup", "homemade pizza",
        "a pumpkin risotto", "cinnamon buns", "a proper Sunday roast",
    ),
    "drink": ("a flat white", "a cup of tea", "a hot chocolate", "an oat latte", "a decaf"),
    "weather": (
        "it's pouring", "glorious sunshine", "thick fog everywhere", "gale-force wind",
        "finally a bit cooler", "grey skies all day",
    ),
    "transport": ("the night bus", "the tram", "my bike", "the commuter train", "the metro"),
    "hobby": (
        "running", "pottery", "chess", "gardening", "the guitar", "film photography",
        "bouldering", "knitting", "amateur theatre", "choir",
    ),
    "show": (
        "a Nordic crime drama", "a documentary about bees", "the new animated film",
        "a baking competition", "an old western", "a history podcast",
    ),
    "book": (
        "an Icelandic thriller", "a graphic novel about the war", "a sci-fi novel",
        "an essay about sleep", "a short story collection",
    ),
    "feeling": (
        "So pleased", "A bit knackered", "Genuinely happy", "Completely wiped out",
        "Quietly proud", "In a good mood",
    ),
    "opener": ("", "", "", "OK. ", "Quick update: ", "Well. ", "Confession: "),
    "closer": ("", "", "", " 😅", " 🙂", " Anyway.", " That's it.", " ☕", " 🌧️", " 🎉"),
    "daily_tag": (
        "#sunday", "#biketowork", "#cooking", "#reading", "#gardening", "#football",
        "#weather", "#movies", "#worklife",
    ),
    "news_topic": (
        "the pension reform", "energy prices", "the rail strike", "the drought in the south",
        "university fees", "hospital funding", "the battery factory closure",
        "the floods in the west", "city rents", "the shortage of family doctors",
        "the new cycling plan",
    ),
    "news_fact": (
        "up 8% on last year", "a first since 2003", "three regions affected",
        "talks resume on Monday", "a report published this morning",
        "a vote expected in parliament next week",
    ),
    "news_tag": ("#news", "#economy", "#climate", "#health", "#housing", "#transport"),
    "horizon_topic": (
        "free public transport", "home insulation", "the four-day week",
        "local public services", "the energy transition", "schools and teachers",
        "the climate plan",
    ),
    "socle_topic": (
        "tax cuts", "everyday safety", "the cost of living", "new nuclear plants",
        "support for small businesses", "cutting red tape", "law and order",
    ),
    "election_tag": ("#Election2027", "#Présidentielle2027", "#TVdebate", "#Polls"),
    "percent": ("19", "22", "24", "26", "27", "29", "31", "33"),
}

# fmt: on

WORDS: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"fr": MappingProxyType(dict(_FR)), "en": MappingProxyType(dict(_EN))}
)
