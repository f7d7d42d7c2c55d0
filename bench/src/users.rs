//! The users service's data, shared by the comparison binaries written without lambda-proxy
//! (`crud_plain.rs`, `crud_axum.rs`), each of which includes this file with `#[path]`: the same
//! store as `examples/src/crud.rs`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: u64,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct NewUser {
    pub name: String,
}

#[derive(Debug, Default)]
pub struct Store {
    users: Mutex<BTreeMap<u64, User>>,
}

impl Store {
    pub fn seeded() -> Self {
        let store = Store::default();
        for name in ["Ada", "Grace", "Edsger"] {
            store.insert(name.to_owned());
        }
        store
    }

    pub fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, User>> {
        self.users.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn insert(&self, name: String) -> User {
        let mut users = self.lock();
        let id = users.keys().next_back().map_or(1, |last| last + 1);
        let user = User { id, name };
        users.insert(id, user.clone());
        user
    }
}
