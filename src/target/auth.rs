//! The OAuth client: fetches, caches, revokes and device-binds access tokens.
