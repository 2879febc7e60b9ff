//! The registry's books: which groups are registered, the families they form together, and
//! which family owns each exposed sample name. Only registration and removal touch them, one
//! at a time; scrapes read the [`Snapshot`] the books publish after every change.
//!
//! Members of one family (instances of a group under different constant labels) share the
//! family's sample names: a claim counts its holders and is released with the last one.

use std::collections::HashMap;
use std::sync::Arc;

use crate::desc::{DefinitionSite, MetricType};
use crate::encode::{escaped_forms, is_legacy_name, Timestamp};

use super::error::RegisterProblem;
use super::group::GroupHandle;
use super::members::Members;
use super::scrape::{Member, ScrapeFamily, Snapshot};
use super::walk::Declared;

/// Which family exposes a sample name, and how many members hold the claim.
#[derive(Clone)]
struct Claim {
    family: Arc<str>,
    site: DefinitionSite,
    holders: usize,
}

/// A member as a scrape tells it apart: its family's name and its constant labels.
type MemberKey = (Arc<str>, Vec<(String, String)>);

#[derive(Clone, Default)]
pub(crate) struct Book {
    next_id: u64,
    /// Each registered group's families, so that removing it takes back exactly those.
    entries: HashMap<u64, Vec<Arc<str>>>,
    /// Where each member of each family was declared, by family and constant labels: two
    /// members a scrape could not tell apart are refused.
    member_sites: HashMap<MemberKey, DefinitionSite>,
    /// In exposition order: the order in which each family got its first member.
    families: Vec<Arc<ScrapeFamily>>,
    by_name: HashMap<Arc<str>, usize>,
    claims: HashMap<Box<str>, Claim>,
}

impl Book {
    /// Adds a group's declared metrics as members of their families, or changes nothing and
    /// returns every problem: a sample name another family exposes, a family declared
    /// differently elsewhere, a member indistinguishable from one already registered.
    pub(crate) fn add(
        &mut self,
        group: GroupHandle,
        declared: Vec<Declared>,
    ) -> Result<u64, Vec<RegisterProblem>> {
        let mut problems = Vec::new();
        // What the group's earlier declarations hold, indexed so that a group of thousands
        // of metrics checks in linear time.
        let mut earlier = Earlier::default();
        for (position, new) in declared.iter().enumerate() {
            let samples = samples_of(new);
            self.check(new, &samples, &declared, &earlier, &mut problems);
            earlier.add(position, new, samples);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        self.next_id += 1;
        let id = self.next_id;
        let mut families = Vec::with_capacity(declared.len());
        let registered = Timestamp::now().truncated_to_millis();
        for new in declared {
            let name: Arc<str> = Arc::from(new.name.as_str());
            for sample in samples_of(&new) {
                self.claims
                    .entry(sample.into_boxed_str())
                    .or_insert_with(|| Claim {
                        family: name.clone(),
                        site: new.identity.site,
                        holders: 0,
                    })
                    .holders += 1;
            }
            self.member_sites
                .insert((name.clone(), new.label_key.clone()), new.identity.site);
            let member = Member {
                group_id: id,
                group: group.clone(),
                index: new.index,
                const_labels: new.const_labels.into_boxed_str(),
                label_key: new.label_key,
                registered,
            };
            match self.by_name.get(&name) {
                Some(&position) => Arc::make_mut(&mut self.families[position])
                    .members
                    .push(member),
                None => {
                    self.by_name.insert(name.clone(), self.families.len());
                    self.families.push(Arc::new(ScrapeFamily {
                        name: name.clone(),
                        identity: new.identity,
                        headers: new.headers,
                        members: Members::one(member),
                    }));
                }
            }
            families.push(name);
        }
        self.entries.insert(id, families);
        Ok(id)
    }

    fn check(
        &self,
        new: &Declared,
        samples: &[String],
        declared: &[Declared],
        earlier: &Earlier,
        problems: &mut Vec<RegisterProblem>,
    ) {
        // The family as registered, or as declared earlier in this same group.
        let registered = self
            .by_name
            .get(new.name.as_str())
            .map(|&position| &*self.families[position]);
        if let Some(family) = registered {
            if let Some(what) = family.identity.difference(&new.identity) {
                problems.push(RegisterProblem::Mismatch {
                    name: new.name.clone(),
                    what,
                    first: family.identity.site,
                    second: new.identity.site,
                });
                return;
            }
            let key = (family.name.clone(), new.label_key.clone());
            if let Some(&twin) = self.member_sites.get(&key) {
                problems.push(duplicate(new, twin));
                return;
            }
        }
        let same_name = earlier.by_name.get(new.name.as_str()).into_iter().flatten();
        for other in same_name.map(|&position| &declared[position]) {
            if let Some(what) = other.identity.difference(&new.identity) {
                problems.push(RegisterProblem::Mismatch {
                    name: new.name.clone(),
                    what,
                    first: other.identity.site,
                    second: new.identity.site,
                });
                return;
            }
            if other.label_key == new.label_key {
                problems.push(duplicate(new, other.identity.site));
                return;
            }
        }
        // Sample names: free, or held by this very family.
        for sample in samples {
            let holder = self
                .claims
                .get(sample.as_str())
                .map(|claim| (claim.family.to_string(), claim.site))
                .or_else(|| {
                    let other = &declared[*earlier.claims.get(sample.as_str())?];
                    Some((other.name.clone(), other.identity.site))
                });
            if let Some(first) = holder {
                if first.0 != new.name {
                    problems.push(RegisterProblem::Clash {
                        sample: sample.clone(),
                        first,
                        second: (new.name.clone(), new.identity.site),
                    });
                    // One report per pair of families is enough.
                    return;
                }
            }
        }
    }

    /// Takes back the group `id` and adds `group` in its place, or changes nothing and returns
    /// the problems of `group` (checked as if `id` were gone). Copies the books to try, so it
    /// costs a registration of everything; it is for rare changes, such as a description
    /// that arrives after a metric was first used.
    #[cfg(feature = "metrics-facade")]
    pub(crate) fn replace(
        &mut self,
        id: u64,
        group: GroupHandle,
        declared: Vec<Declared>,
    ) -> Result<u64, Vec<RegisterProblem>> {
        let mut trial = self.clone();
        trial.remove(id);
        let new_id = trial.add(group, declared)?;
        *self = trial;
        Ok(new_id)
    }

    /// Takes back everything the group `id` added; returns whether it was registered.
    pub(crate) fn remove(&mut self, id: u64) -> bool {
        let Some(entry) = self.entries.remove(&id) else {
            return false;
        };
        let mut emptied = false;
        for name in &entry {
            let Some(&index) = self.by_name.get(name) else {
                continue;
            };
            let family = Arc::make_mut(&mut self.families[index]);
            let Some(member) = family.members.remove_group(id) else {
                continue;
            };
            self.member_sites.remove(&(name.clone(), member.label_key));
            emptied |= family.members.is_empty();
            for sample in sample_names(name, family.identity.metric_type) {
                if let Some(claim) = self.claims.get_mut(sample.as_str()) {
                    claim.holders -= 1;
                    if claim.holders == 0 {
                        self.claims.remove(sample.as_str());
                    }
                }
            }
        }
        if emptied {
            self.families.retain(|family| !family.members.is_empty());
            self.by_name = self
                .families
                .iter()
                .enumerate()
                .map(|(index, family)| (family.name.clone(), index))
                .collect();
        }
        true
    }

    /// What scrapes read from now on.
    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            families: self.families.clone(),
        }
    }

    /// How many groups and sample names are registered.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (self.entries.len(), self.claims.len())
    }
}

/// A group's declarations checked so far: positions by family name, and the first one to
/// claim each sample name.
#[derive(Default)]
struct Earlier {
    by_name: HashMap<String, Vec<usize>>,
    claims: HashMap<String, usize>,
}

impl Earlier {
    fn add(&mut self, position: usize, declared: &Declared, samples: Vec<String>) {
        self.by_name
            .entry(declared.name.clone())
            .or_default()
            .push(position);
        for sample in samples {
            self.claims.entry(sample).or_insert(position);
        }
    }
}

/// Every sample name a declared member exposes in some format.
fn samples_of(declared: &Declared) -> Vec<String> {
    sample_names(&declared.name, declared.identity.metric_type)
}

/// Every sample name a family `name` of `metric_type` exposes. A name outside the legacy
/// character set also claims its escaped forms, so that no two families read the same once
/// a scrape escapes them (`http.requests` and `http_requests` under `underscores`).
fn sample_names(name: &str, metric_type: MetricType) -> Vec<String> {
    let mut forms = vec![name.to_owned()];
    if !is_legacy_name(name) {
        for escaped in escaped_forms(name) {
            let escaped = String::from_utf8_lossy(&escaped).into_owned();
            if !forms.contains(&escaped) {
                forms.push(escaped);
            }
        }
    }
    let suffixes = metric_type.exposed_suffixes();
    forms
        .iter()
        .flat_map(|form| suffixes.iter().map(move |suffix| format!("{form}{suffix}")))
        .collect()
}

fn duplicate(new: &Declared, first: DefinitionSite) -> RegisterProblem {
    RegisterProblem::Duplicate {
        name: new.name.clone(),
        labels: new.const_labels.clone(),
        first,
        second: new.identity.site,
    }
}
