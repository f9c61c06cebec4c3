"""The store contract, one small protocol per concern (accounts, barks, streams, ...), that every adapter
implements (SQLite embedded, ArangoDB distributed) and that services are written against: a service
declares only the protocols it uses, so it can be read, and tested over a small fake, on its own.
`barker.ports.store.Store` is all of them together: what an adapter is and what the runtime holds.

Methods are synchronous and thread-safe; the service layer calls them off the event loop through
barker.gateway. Each write method is atomic: it either applies completely or raises and changes nothing.
Errors are the driver-neutral ones in barker.errors.

Views (BarkView, UserView) are plain JSON-ready dicts in the shape of the API models in barker.models,
rendered by the store itself so a timeline page is one round trip in either engine. The hottest reads (home
and public timelines) go further: they check the caller's token and render the whole response body in one
query, returned as RawJson, because on a busy server every extra statement costs a thread hand-over.

Data types are in barker.ports.types; the rules every adapter applies (limits, thresholds, who may do
what) are in barker.policies.
"""
