"""Which pools and lanes are the customer: the *customer scope*.

The customer is a pool (with a process of its own, or a black box with none)
or one or more lanes at any nesting depth. It is chosen explicitly (``--customer
NAME|ID``, ``customer = [...]`` in the configuration) or found by matching whole
pool and lane names, case-insensitively and ignoring accents, against a
multilingual list of customer roles (:data:`CUSTOMER_NAMES`). Only whole names
match: a lane called "Private Customer Account Manager" is a member of staff,
not the customer.

When nothing matches, or several different roles match, :func:`find_customer`
raises an exception whose message lists what it saw, so the user can pick one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import FlowNode, Lane, Model, Participant, Process, SubProcess

#: Role names that denote the customer, matched against whole pool and lane
#: names after :func:`normalize_name`. Plurals are listed where modelers use them.
CUSTOMER_NAMES: tuple[str, ...] = (
    # English
    "customer", "customers", "end customer", "client", "clients", "consumer", "consumers",
    "patient", "patients", "guest", "guests", "applicant", "applicants", "passenger",
    "passengers", "buyer", "buyers", "shopper", "purchaser", "citizen", "citizens",
    "policyholder", "policyholders", "policy holder", "insured", "claimant", "traveller",
    "traveler", "travellers", "travelers", "visitor", "visitors", "subscriber", "subscribers",
    "tenant", "tenants", "borrower", "end user", "end users", "caller",
    # German
    "kunde", "kunden", "kundin", "endkunde", "endkunden", "gast", "gaste", "patient",
    "patientin", "antragsteller", "antragstellerin", "kaufer", "kauferin", "burger",
    "burgerin", "versicherungsnehmer", "versicherte", "versicherter", "fahrgast", "passagier",
    "reisender", "reisende", "mieter", "mieterin", "besucher", "bewerber", "bewerberin",
    "interessent", "interessentin", "auftraggeber", "mandant", "mandantin",
    # French
    "cliente", "consommateur", "consommatrice", "patiente", "invite", "demandeur",
    "demandeuse", "passager", "passagere", "acheteur", "acheteuse", "citoyen", "citoyenne",
    "assure", "assuree", "usager", "voyageur", "locataire", "visiteur", "abonne",
    # Spanish / Portuguese / Italian
    "cliente", "clientes", "consumidor", "consumidora", "paciente", "pacientes", "huesped",
    "invitado", "solicitante", "pasajero", "pasajera", "comprador", "compradora",
    "ciudadano", "ciudadana", "asegurado", "asegurada", "viajero", "inquilino", "usuario final",
    "passageiro", "cidadao", "segurado", "hospede", "consumatore", "paziente", "ospite",
    "richiedente", "passeggero", "acquirente", "cittadino", "assicurato", "clienti",
    # Dutch
    "klant", "klanten", "consument", "gast", "aanvrager", "koper", "burger", "verzekerde",
    "polishouder", "reiziger", "huurder",
    # Scandinavian
    "kund", "kunder", "gast", "gjest", "gaest", "passagerare", "passasjer", "kopare",
    "medborgare", "borger",
    # Polish / Czech / Slovak
    "klient", "klienci", "pacjent", "gosc", "pasazer", "kupujacy", "obywatel", "zakaznik",
    "zakaznici", "pacient", "cestujici", "kupujici", "obcan",
    # Russian / Ukrainian
    "клиент", "покупатель", "пациент", "гость", "заявитель", "пассажир", "гражданин",
    "клієнт", "покупець", "пацієнт",
    # Turkish, Greek
    "musteri", "hasta", "misafir", "yolcu", "πελατης",
    # Chinese, Japanese, Korean
    "客户", "顾客", "客戶", "顧客", "患者", "乘客", "お客様", "お客さま", "고객", "환자",
)


def normalize_name(name: str | None) -> str:
    """Case-fold, strip accents and collapse white space: ``" Kündin\\n"`` -> ``"kundin"``.

    Surrounding punctuation and quotes are dropped too, so ``"Customer:"`` and
    ``"(Customer)"`` match ``customer``; inner words are left alone.
    """
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = stripped.casefold().split()
    text = " ".join(words)
    return text.strip(" \t\"'`()[]{}<>:;,.!?-_*#/\\|")


class CustomerError(ValueError):
    """No usable customer scope. ``str()`` is a message for users."""

    def __init__(self, message: str, *, candidates: Sequence[str] = (), seen: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        #: Descriptions of the pools/lanes that matched (ambiguous case).
        self.candidates = list(candidates)
        #: Descriptions of every pool and lane in the model.
        self.seen = list(seen)

    def __str__(self) -> str:
        return self.message


class CustomerNotFound(CustomerError):
    """No pool or lane is the customer (or a requested name matches nothing)."""


class AmbiguousCustomer(CustomerError):
    """Several different pools or lanes look like the customer."""


@dataclass
class CustomerScope:
    """The customer's pools and lanes in one model.

    ``participants`` are customer pools (their whole process, if any, belongs to
    the customer); ``lanes`` are the customer lanes as chosen, and ``lane_set``
    holds those lanes and all their descendants.
    """

    model: Model
    participants: list[Participant] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)
    #: How it was chosen: ``"explicit"`` or ``"auto"``.
    source: str = "auto"
    _lane_ids: set[int] = field(default_factory=set, repr=False)
    _process_ids: set[int] = field(default_factory=set, repr=False)
    _participant_ids: set[int] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        self._participant_ids = {id(p) for p in self.participants}
        self._process_ids = {id(p.process) for p in self.participants if p.process is not None}
        lane_ids: set[int] = set()
        stack = list(self.lanes)
        while stack:
            lane = stack.pop()
            if id(lane) in lane_ids:
                continue
            lane_ids.add(id(lane))
            stack.extend(lane.child_lanes)
        self._lane_ids = lane_ids

    # -- membership -------------------------------------------------------
    @property
    def elements(self) -> list[Participant | Lane]:
        """The chosen pools, then the chosen lanes."""
        return [*self.participants, *self.lanes]

    @property
    def names(self) -> list[str]:
        return [e.label or e.id or "?" for e in self.elements]

    @property
    def label(self) -> str:
        """``"Customer"`` or ``"Customer, Patient"``: for messages and placeholders."""
        out: list[str] = []
        for name in self.names:
            if name not in out:
                out.append(name)
        return ", ".join(out)

    @property
    def processes(self) -> list[Process]:
        """Processes of customer pools (not the processes that merely hold a customer lane)."""
        return [p.process for p in self.participants if p.process is not None]

    def has_lane(self, lane: Lane | None) -> bool:
        """The lane is a customer lane or lies inside one."""
        return lane is not None and id(lane) in self._lane_ids

    def has_participant(self, participant: Participant | None) -> bool:
        return participant is not None and id(participant) in self._participant_ids

    def has_process(self, process: Process | None) -> bool:
        return process is not None and id(process) in self._process_ids

    def contains(self, node: FlowNode) -> bool:
        """The flow node belongs to the customer (its pool's process or its lanes)."""
        lane = effective_lane(node)
        if lane is not None and id(lane) in self._lane_ids:
            return True
        return bool(self._process_ids) and id(node.process) in self._process_ids

    def contains_end(self, end: FlowNode | Participant | None) -> bool:
        """A message flow end (a node, or a pool's boundary) on the customer's side."""
        if end is None:
            return False
        if isinstance(end, Participant):
            return id(end) in self._participant_ids
        return bool(self.contains(end))

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "source": self.source,
            "pools": [{"id": p.id, "name": p.label, "black_box": p.process is None} for p in self.participants],
            "lanes": [{"id": lane.id, "name": lane.label, "path": lane.path} for lane in self.lanes],
        }


def effective_lane(node: FlowNode) -> Lane | None:
    """The lane a node is drawn in: boundary events always go with their host.

    The loader prefers a lane that references the boundary event itself; for
    the customer's view a boundary event is part of its host's work, so the
    host's lane decides. Hosts are followed iteratively (a boundary event
    cannot host another, but malformed files are not trusted).
    """
    seen = 0
    while node.attached_to is not None and seen < 8:
        node = node.attached_to
        seen += 1
    return node.lane


def _describe(element: Participant | Lane) -> str:
    if isinstance(element, Participant):
        box = " (black box)" if element.process is None else ""
        return f"pool {element.label or '(unnamed)'!r} [{element.id}]{box}"
    path = element.path
    pool = _pool_of_lane(element)
    where = f" in pool {pool.label or pool.id!r}" if pool is not None else ""
    return f"lane {path!r} [{element.id}]{where}"


def _pool_of_lane(lane: Lane) -> Participant | None:
    scope = lane.scope
    while isinstance(scope, SubProcess):
        scope = scope.scope
    if isinstance(scope, Process):
        return scope.participant
    return None


def _seen(model: Model) -> list[str]:
    out = [_describe(p) for p in model.participants]
    out.extend(_describe(lane) for lane in model.lanes)
    return out


def _seen_text(seen: list[str], limit: int = 30) -> str:
    if not seen:
        return "the model has no pools and no lanes"
    shown = seen[:limit]
    more = f"\n  ... and {len(seen) - limit} more" if len(seen) > limit else ""
    return "pools and lanes in the model:\n  " + "\n  ".join(shown) + more


def _dedupe(participants: list[Participant], lanes: list[Lane]) -> tuple[list[Participant], list[Lane]]:
    """Drop lanes inside a chosen pool or inside another chosen lane."""
    pool_processes = {id(p.process) for p in participants if p.process is not None}
    lane_ids = {id(lane) for lane in lanes}
    kept_lanes: list[Lane] = []
    seen: set[int] = set()
    for lane in lanes:
        if id(lane) in seen:
            continue
        seen.add(id(lane))
        if any(id(a) in lane_ids for a in lane.ancestors):
            continue
        scope = lane.scope
        while isinstance(scope, SubProcess):
            scope = scope.scope
        if id(scope) in pool_processes:
            continue
        kept_lanes.append(lane)
    unique_participants: list[Participant] = []
    seen_p: set[int] = set()
    for p in participants:
        if id(p) not in seen_p:
            seen_p.add(id(p))
            unique_participants.append(p)
    return unique_participants, kept_lanes


def find_customer(
    model: Model,
    customer: str | Iterable[str] | None = None,
    *,
    names: Iterable[str] | None = None,
) -> CustomerScope:
    """Find the customer scope of ``model``.

    ``customer``: pool or lane names or ids chosen by the user (an id matches
    exactly; a name matches whole and case-insensitively). Every entry must
    match something, otherwise :class:`CustomerNotFound` names the entry and
    lists the pools and lanes of the model.

    Without ``customer``, pools and lanes whose whole name is a customer role
    (``names``, default :data:`CUSTOMER_NAMES`) are the candidates. Candidates
    that all carry the same name (the customer lane of two processes, say) form
    one scope; different names raise :class:`AmbiguousCustomer`; none raises
    :class:`CustomerNotFound`.
    """
    if isinstance(customer, str):
        customer = [customer]
    wanted = [c for c in (customer or []) if c and c.strip()]
    if wanted:
        return _explicit(model, wanted)
    return _auto(model, names)


def _explicit(model: Model, wanted: list[str]) -> CustomerScope:
    participants: list[Participant] = []
    lanes: list[Lane] = []
    # Pools and lanes by id, without model.get(): a name is no id, and a miss
    # there would make the model's DI objects for nothing.
    pools_and_lanes: dict[str, Participant | Lane] = {}
    for element in (*model.participants, *model.lanes):
        if element.id is not None:
            pools_and_lanes.setdefault(element.id, element)
    for entry in wanted:
        entry = entry.strip()
        found = pools_and_lanes.get(entry)
        if isinstance(found, Participant):
            participants.append(found)
            continue
        if isinstance(found, Lane):
            lanes.append(found)
            continue
        key = normalize_name(entry)
        hit = False
        for p in model.participants:
            if key and normalize_name(p.name) == key:
                participants.append(p)
                hit = True
        for lane in model.lanes:
            if key and (normalize_name(lane.name) == key or normalize_name(lane.path) == key):
                lanes.append(lane)
                hit = True
        if not hit:
            seen = _seen(model)
            raise CustomerNotFound(
                f"no pool or lane is named or has the id {entry!r}; " + _seen_text(seen),
                seen=seen,
            )
    participants, lanes = _dedupe(participants, lanes)
    return CustomerScope(model, participants, lanes, source="explicit")


def _auto(model: Model, names: Iterable[str] | None) -> CustomerScope:
    table = {normalize_name(n) for n in (CUSTOMER_NAMES if names is None else names)}
    table.discard("")
    participants = [p for p in model.participants if normalize_name(p.name) in table]
    lanes = [lane for lane in model.lanes if normalize_name(lane.name) in table]
    participants, lanes = _dedupe(participants, lanes)
    if not participants and not lanes:
        seen = _seen(model)
        raise CustomerNotFound(
            "no customer pool or lane found: no pool or lane is named like a customer "
            "(customer, client, patient, guest, Kunde, ...). Name the customer with "
            "--customer NAME|ID or customer = [...] in the configuration; " + _seen_text(seen),
            seen=seen,
        )
    keys = {normalize_name(e.name) for e in [*participants, *lanes]}
    if len(keys) > 1:
        candidates = [_describe(e) for e in [*participants, *lanes]]
        raise AmbiguousCustomer(
            "several pools or lanes could be the customer:\n  "
            + "\n  ".join(candidates)
            + "\nchoose with --customer NAME|ID (repeatable) or customer = [...] in the configuration",
            candidates=candidates,
            seen=_seen(model),
        )
    return CustomerScope(model, participants, lanes, source="auto")


__all__ = [
    "CUSTOMER_NAMES",
    "AmbiguousCustomer",
    "CustomerError",
    "CustomerNotFound",
    "CustomerScope",
    "effective_lane",
    "find_customer",
    "normalize_name",
]
