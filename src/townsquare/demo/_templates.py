"""Post, reply, quote and bio templates, by language and genre.

Slots `{name}` are filled from `_lexicon.WORDS`; `{mention}` is filled by the writer with an
account the author follows. The election is fictional: the Mouvement Horizon (Élise Varenne,
#Horizon2027) against the Union du Socle (Bastien Corvel, #Socle2027).
"""

import enum
from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["CAMP_TAGS", "TEMPLATES", "Genre"]


class Genre(enum.StrEnum):
    EVERYDAY = "everyday"
    MENTION = "mention"
    NEWS = "news"
    ELECTION = "election"
    HORIZON = "horizon"
    SOCLE = "socle"
    REPLY_FRIENDLY = "reply_friendly"
    REPLY_HORIZON = "reply_horizon"
    REPLY_SOCLE = "reply_socle"
    REBUTTAL_BY_HORIZON = "rebuttal_by_horizon"
    REBUTTAL_BY_SOCLE = "rebuttal_by_socle"
    QUOTE = "quote"
    QUOTE_BY_HORIZON = "quote_by_horizon"
    QUOTE_BY_SOCLE = "quote_by_socle"
    BIO = "bio"
    BIO_HORIZON = "bio_horizon"
    BIO_SOCLE = "bio_socle"


CAMP_TAGS = MappingProxyType({"horizon": "#Horizon2027", "socle": "#Socle2027"})

# Template lists read best packed; the formatter would put each on its own line.
# fmt: off
_FR: Mapping[Genre, tuple[str, ...]] = {
    Genre.EVERYDAY: (
        "{opener}Ce matin {place}, {weather}.{closer}",
        "{opener}J'ai testé {food} ce week-end. Verdict : je recommence dimanche.{closer}",
        "{feeling} d'avoir enfin repris {hobby}.{closer} {daily_tag}",
        "Quelqu'un a vu {show} ? On m'en dit du bien.{closer}",
        "{opener}{transport} en retard, encore. Heureusement que j'avais {book}.{closer}",
        "Rien de tel qu'{drink} {place} pour commencer la journée.{closer}",
        "{weather} et moi qui avais prévu une sortie vélo…{closer} {daily_tag}",
        "Soirée tranquille : {food} et {show}.{closer}",
        "{opener}J'ai croisé mon ancienne prof de maths {place}, elle se souvenait de moi !",
        "Conseil du jour : ne jamais sous-estimer {food}.{closer} {daily_tag}",
        "Je commence {book}, premières pages très prometteuses.{closer} {daily_tag}",
        "{feeling} : trois semaines de {activity} sans rater une séance.{closer}",
        "Les voisins ont organisé une fête de rue, il y avait {food} et un accordéon.{closer}",
        "{opener}Pourquoi {transport} est-il toujours bondé le lundi ?{closer}",
        "Premier jour de congé, {weather}. Parfait pour {show}.{closer}",
        "Mon fils m'a appris un tour aux échecs. Humiliation totale.{closer}",
        "Petite victoire : j'ai réparé la machine à laver toute seule.{closer}",
    ),
    Genre.MENTION: (
        "Comme dit {mention}, {food} c'est meilleur le lendemain.{closer}",
        "{mention} merci pour la recommandation, {book} est génial !{closer}",
        "On se retrouve {place} samedi, {mention} ?{closer}",
        "{mention} tu avais raison pour {show}.{closer}",
    ),
    Genre.NEWS: (
        "À lire : {news_topic}, {news_fact}. {news_tag}",
        "{news_topic} : {news_fact}. On en parle ? {news_tag}",
        "Le point sur {news_topic} — {news_fact}. {news_tag}",
        "Je ne comprends pas bien {news_topic}. Quelqu'un a un bon article ? {news_tag}",
        "Chiffre du jour sur {news_topic} : {news_fact}. {news_tag}",
        "Reportage intéressant ce soir sur {news_topic}. {news_tag}",
    ),
    Genre.ELECTION: (
        "Sondage : Varenne {percent} %, Corvel {percent} %. Tout reste ouvert. {election_tag}",
        "Quelqu'un a un comparatif honnête des programmes d'Horizon et du Socle ? {election_tag}",
        "Je n'ai pas encore choisi pour 2027. J'attends le débat. {election_tag}",
        "Pensez à vérifier votre inscription sur les listes électorales ! {election_tag}",
        "Le débat de ce soir entre Varenne et Corvel : qui regarde ? {election_tag}",
        "Les deux camps promettent beaucoup sur {news_topic}. Et le financement ? {election_tag}",
        "Lassée des petites phrases, j'aimerais des chiffres sur {news_topic}. {election_tag}",
    ),
    Genre.HORIZON: (
        "Avec Élise Varenne, {horizon_topic} devient enfin une priorité. #Horizon2027",
        "Meeting d'Horizon ce soir, salle comble ! Parlons de {horizon_topic}. #Horizon2027",
        "Le Socle n'a aucun plan sérieux pour {horizon_topic}. Nous, si. #Horizon2027",
        "Je fais du porte-à-porte pour Horizon samedi, qui vient ? #Horizon2027",
        "{horizon_topic} : le programme d'Horizon est chiffré et réaliste. #Horizon2027",
        "Corvel promet {socle_topic}, mais qui paiera ? #Horizon2027 {election_tag}",
        "Fier de voter Horizon en 2027. Pour {horizon_topic}, pour nos enfants. #Horizon2027",
        "Varenne était excellente au débat sur {horizon_topic}. #Horizon2027 #DébatTV",
    ),
    Genre.SOCLE: (
        "Bastien Corvel est le seul à parler vraiment de {socle_topic}. #Socle2027",
        "Grande réunion du Socle ce soir, on parle de {socle_topic}. #Socle2027 {election_tag}",
        "Horizon veut encore plus de dépenses. Nous voulons {socle_topic}. #Socle2027",
        "Je distribue des tracts pour le Socle au marché dimanche. #Socle2027",
        "{socle_topic} : le Socle a un plan clair, Horizon des slogans. #Socle2027",
        "Varenne promet {horizon_topic}, avec quel argent ? #Socle2027 {election_tag}",
        "En 2027, je vote Socle. Pour {socle_topic} et le bon sens. #Socle2027",
        "Corvel a gagné le débat sur {socle_topic}, aucun doute. #Socle2027 #DébatTV",
    ),
    Genre.REPLY_FRIENDLY: (
        "Haha, tellement vrai.{closer}",
        "Ah je note, merci !{closer}",
        "Pareil ici, {weather}.{closer}",
        "Du coup je fais {food} ce soir.",
        "Je confirme, excellent choix.{closer}",
        "Bon courage pour la suite !{closer}",
        "Tu as une source ? Ça m'intéresse.",
        "Je ne suis pas sûr d'être d'accord, mais pourquoi pas.",
        "C'est exactement ce que je me disais ce matin.",
        "Merci pour le partage 🙏",
    ),
    Genre.REPLY_HORIZON: (
        "Entièrement d'accord. On lâche rien ! #Horizon2027",
        "Exactement, et {horizon_topic} en plus.{closer}",
        "Bien dit. Rendez-vous au prochain meeting.",
        "Merci de le rappeler, Varenne l'a très bien expliqué.",
    ),
    Genre.REPLY_SOCLE: (
        "Tout à fait. Le bon sens, enfin ! #Socle2027",
        "Exactement, et {socle_topic} surtout.{closer}",
        "Bien vu. On se voit au marché dimanche.",
        "Merci, Corvel l'a très bien dit au débat.",
    ),
    Genre.REBUTTAL_BY_HORIZON: (
        "Et le climat, on en parle ? Le Socle n'a rien sur {horizon_topic}.",
        "{socle_topic}, toujours la même chanson. Les chiffres ne suivent pas.",
        "Non. Baisser les impôts sans toucher aux hôpitaux, ça n'existe pas.",
        "Vous oubliez que {horizon_topic} crée des emplois.",
        "Relisez le programme d'Horizon avant de le caricaturer, s'il vous plaît.",
    ),
    Genre.REBUTTAL_BY_SOCLE: (
        "Et qui paie {horizon_topic} ? Toujours les mêmes.",
        "Encore des promesses. Le Socle, lui, propose {socle_topic}.",
        "Non. On ne peut pas tout rendre gratuit, soyons sérieux.",
        "Vous oubliez {socle_topic}, c'est ça la vraie priorité des gens.",
        "Relisez le programme du Socle avant de le caricaturer, merci.",
    ),
    Genre.QUOTE: (
        "À lire 👇",
        "Très juste.{closer}",
        "Ça mérite d'être partagé.",
        "Je ne suis pas d'accord, mais le fil est intéressant.",
        "Tout est dit.",
    ),
    Genre.QUOTE_BY_HORIZON: (
        "Voilà pourquoi je vote Horizon. #Horizon2027",
        "Le Socle en une phrase. Aucun mot sur {horizon_topic}. #Horizon2027",
        "Encore une fois, {horizon_topic} oublié. #Horizon2027",
    ),
    Genre.QUOTE_BY_SOCLE: (
        "Voilà pourquoi je vote Socle. #Socle2027",
        "Horizon en une phrase : dépenser. Et {socle_topic} ? #Socle2027",
        "Toujours rien sur {socle_topic}. #Socle2027",
    ),
    Genre.BIO: (
        "Passionnée de {activity}. Café, livres et vélo.",
        "Amateur de {activity}. Avis personnels.",
        "Prof le jour, {hobby} le soir.",
        "Travaille à l'hôpital. Fan de {activity}.",
        "Je parle de cuisine, de {activity} et de ce qui me passe par la tête.",
        "Journaliste locale. Ici à titre personnel.",
    ),
    Genre.BIO_HORIZON: (
        "Militante Horizon. Pour {horizon_topic}. #Horizon2027",
        "Bénévole au Mouvement Horizon. Écologie et justice sociale.",
        "Soutien d'Élise Varenne. {hobby} à mes heures perdues.",
    ),
    Genre.BIO_SOCLE: (
        "Militant du Socle. Pour {socle_topic}. #Socle2027",
        "Bénévole à l'Union du Socle. Liberté et responsabilité.",
        "Soutien de Bastien Corvel. {hobby} le week-end.",
    ),
}

_EN: Mapping[Genre, tuple[str, ...]] = {
    Genre.EVERYDAY: (
        "{opener}This morning {place}, {weather}.{closer}",
        "{opener}Tried {food} this weekend. Verdict: making it again on Sunday.{closer}",
        "{feeling} to be back into {hobby}.{closer} {daily_tag}",
        "Has anyone watched {show}? People keep recommending it.{closer}",
        "{opener}{transport} is late again. Good thing I brought {book}.{closer}",
        "Nothing beats {drink} {place} to start the day.{closer}",
        "{weather} and I had planned a bike ride…{closer} {daily_tag}",
        "Quiet evening: {food} and {show}.{closer}",
        "{opener}Bumped into my old maths teacher {place}. She remembered me!{closer}",
        "Tip of the day: never underestimate {food}.{closer} {daily_tag}",
        "Starting {book}, very promising first pages.{closer} {daily_tag}",
        "{feeling}: three weeks of {hobby} without missing a session.{closer}",
        "The neighbours threw a street party, there was {food} and a fiddle.{closer}",
        "{opener}Why is {transport} always packed on Mondays?{closer}",
        "First day off, {weather}. Perfect for {show}.{closer}",
        "My kid taught me a chess trick. Total humiliation.{closer}",
        "Small win: fixed the washing machine all by myself.{closer}",
    ),
    Genre.MENTION: (
        "Like {mention} says, {food} is better the next day.{closer}",
        "{mention} thanks for the tip, {book} is brilliant!{closer}",
        "Meet {place} on Saturday, {mention}?{closer}",
        "{mention} you were right about {show}.{closer}",
    ),
    Genre.NEWS: (
        "Worth reading: {news_topic}, {news_fact}. {news_tag}",
        "{news_topic}: {news_fact}. Thoughts? {news_tag}",
        "Where things stand on {news_topic} — {news_fact}. {news_tag}",
        "I don't really get {news_topic}. Anyone have a good explainer? {news_tag}",
        "Number of the day on {news_topic}: {news_fact}. {news_tag}",
        "Interesting report tonight on {news_topic}. {news_tag}",
    ),
    Genre.ELECTION: (
        "New poll: Varenne {percent}%, Corvel {percent}%. Still wide open. {election_tag}",
        "Does anyone have a fair comparison of the Horizon and Socle platforms? {election_tag}",
        "Still undecided for 2027. Waiting for the debate. {election_tag}",
        "Reminder: check you are registered to vote! {election_tag}",
        "Tonight's Varenne vs Corvel debate: who's watching? {election_tag}",
        "Both camps promise a lot on {news_topic}. How will they pay for it? {election_tag}",
        "Tired of soundbites, I want numbers on {news_topic}. {election_tag}",
    ),
    Genre.HORIZON: (
        "With Élise Varenne, {horizon_topic} finally becomes a priority. #Horizon2027",
        "Horizon rally tonight, packed room! Let's talk about {horizon_topic}. #Horizon2027",
        "The Socle has no serious plan for {horizon_topic}. We do. #Horizon2027",
        "Canvassing for Horizon on Saturday, who's in? #Horizon2027",
        "{horizon_topic}: Horizon's platform is costed and realistic. #Horizon2027",
        "Corvel promises {socle_topic}, but who pays? #Horizon2027 {election_tag}",
        "Proud to vote Horizon in 2027. For {horizon_topic}, for our kids. #Horizon2027",
        "Varenne was excellent in the debate on {horizon_topic}. #Horizon2027 #TVdebate",
    ),
    Genre.SOCLE: (
        "Bastien Corvel is the only one really talking about {socle_topic}. #Socle2027",
        "Big Socle meeting tonight on {socle_topic}. #Socle2027 {election_tag}",
        "Horizon wants even more spending. We want {socle_topic}. #Socle2027",
        "Handing out Socle leaflets at the market on Sunday. #Socle2027",
        "{socle_topic}: the Socle has a clear plan, Horizon has slogans. #Socle2027",
        "Varenne promises {horizon_topic}, with what money? #Socle2027 {election_tag}",
        "In 2027 I'm voting Socle. For {socle_topic} and common sense. #Socle2027",
        "Corvel won the debate on {socle_topic}, no doubt. #Socle2027 #TVdebate",
    ),
    Genre.REPLY_FRIENDLY: (
        "Ha, so true.{closer}",
        "Noted, thanks!{closer}",
        "Same here, {weather}.{closer}",
        "Now I want {food}.",
        "Can confirm, great choice.{closer}",
        "Good luck with it!{closer}",
        "Do you have a source? I'm curious.",
        "Not sure I agree, but fair enough.",
        "Exactly what I was thinking this morning.",
        "Thanks for sharing 🙏",
    ),
    Genre.REPLY_HORIZON: (
        "Totally agree. Keep going! #Horizon2027",
        "Exactly, and {horizon_topic} too.{closer}",
        "Well said. See you at the next rally.",
        "Thanks for saying it, Varenne explained it really well.",
    ),
    Genre.REPLY_SOCLE: (
        "Absolutely. Common sense at last! #Socle2027",
        "Exactly, and {socle_topic} above all.{closer}",
        "Spot on. See you at the market on Sunday.",
        "Thanks, Corvel said it really well in the debate.",
    ),
    Genre.REBUTTAL_BY_HORIZON: (
        "And the climate? The Socle has nothing on {horizon_topic}.",
        "{socle_topic}, same old song. The numbers don't add up.",
        "No. Cutting taxes without cutting hospitals isn't a thing.",
        "You forget that {horizon_topic} creates jobs.",
        "Please read Horizon's platform before caricaturing it.",
    ),
    Genre.REBUTTAL_BY_SOCLE: (
        "And who pays for {horizon_topic}? The same people as always.",
        "More promises. The Socle actually offers {socle_topic}.",
        "No. You can't make everything free, let's be serious.",
        "You forget {socle_topic}, that's what people actually care about.",
        "Please read the Socle's platform before caricaturing it.",
    ),
    Genre.QUOTE: (
        "Worth a read 👇",
        "Very true.{closer}",
        "This deserves sharing.",
        "I don't agree, but the thread is interesting.",
        "Nothing to add.",
    ),
    Genre.QUOTE_BY_HORIZON: (
        "This is why I'm voting Horizon. #Horizon2027",
        "The Socle in one sentence. Not a word on {horizon_topic}. #Horizon2027",
        "Once again, {horizon_topic} forgotten. #Horizon2027",
    ),
    Genre.QUOTE_BY_SOCLE: (
        "This is why I'm voting Socle. #Socle2027",
        "Horizon in one sentence: spend. What about {socle_topic}? #Socle2027",
        "Still nothing on {socle_topic}. #Socle2027",
    ),
    Genre.BIO: (
        "Into {hobby}. Coffee, books and bikes.",
        "Fan of {hobby}. Opinions my own.",
        "Teacher by day, {hobby} by night.",
        "Works at the hospital. Keen on {hobby}.",
        "I post about food, {hobby} and whatever crosses my mind.",
        "Local reporter. Personal account.",
    ),
    Genre.BIO_HORIZON: (
        "Horizon activist. For {horizon_topic}. #Horizon2027",
        "Volunteer with the Horizon Movement. Ecology and fairness.",
        "Backing Élise Varenne. {hobby} in my spare time.",
    ),
    Genre.BIO_SOCLE: (
        "Socle activist. For {socle_topic}. #Socle2027",
        "Volunteer with the Socle Union. Freedom and responsibility.",
        "Backing Bastien Corvel. {hobby} at weekends.",
    ),
}
# fmt: on

TEMPLATES: Mapping[str, Mapping[Genre, tuple[str, ...]]] = MappingProxyType(
    {"fr": MappingProxyType(dict(_FR)), "en": MappingProxyType(dict(_EN))}
)
