"""Reading Bluesky over the network: identities, the XRPC client, account pages, the record cache.

- identity.py: handle -> DID -> DID document -> PDS (`resolve_actor`, `Endpoints`)
- xrpc.py: `XrpcClient` (timeouts, retries with backoff, one-line errors)
- account.py: an account's posts through listRecords (`AccountPosts`), one post (`fetch_post`)
- cache.py: the SQLite cache of fetched records (`RecordCache`)
- uris.py: at:// URIs, bsky.app links, record-key times
- account_report.py: the account summary sections (worst posts with their links)

Nothing here is imported by the draft and plain-record paths.
"""
