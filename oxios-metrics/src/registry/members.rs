//! A family's members, kept so that registering or removing one costs little however many
//! there are.
//!
//! Scrapes read the books through a published [`Snapshot`](super::scrape::Snapshot) that
//! shares each family with the books, so changing a family copies what the snapshot still
//! holds. With one `Vec` of members, a service registering thousands of per-instance groups
//! into the same families copied every member on every registration (4,000 instances took
//! 1.8 s, quadratic). The members live in shared chunks of at most [`CHUNK`] instead: a change
//! copies the list of chunks (one pointer per chunk) and the one chunk it touches.

use std::sync::Arc;

use super::scrape::Member;

/// The most members one chunk holds.
const CHUNK: usize = 32;

/// A family's members in registration order.
#[derive(Clone)]
pub(crate) struct Members {
    /// Never an empty chunk.
    chunks: Vec<Arc<Vec<Member>>>,
}

impl Members {
    /// A family's first member.
    pub(crate) fn one(member: Member) -> Members {
        Members {
            chunks: vec![Arc::new(vec![member])],
        }
    }

    /// Adds `member` after the others.
    pub(crate) fn push(&mut self, member: Member) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Arc::make_mut(last).push(member),
            _ => self.chunks.push(Arc::new(vec![member])),
        }
    }

    /// Takes out the member of group `group_id`, if there is one.
    pub(crate) fn remove_group(&mut self, group_id: u64) -> Option<Member> {
        let (chunk, position) = self.chunks.iter().enumerate().find_map(|(index, chunk)| {
            let position = chunk
                .iter()
                .position(|member| member.group_id == group_id)?;
            Some((index, position))
        })?;
        let members = Arc::make_mut(&mut self.chunks[chunk]);
        let removed = members.remove(position);
        if members.is_empty() {
            self.chunks.remove(chunk);
        } else if let Some(next) = self.chunks.get(chunk + 1) {
            // Churn would otherwise leave many near-empty chunks: merge with the next one
            // while both fit in one.
            if self.chunks[chunk].len() + next.len() <= CHUNK {
                let next = self.chunks.remove(chunk + 1);
                let merged = Arc::make_mut(&mut self.chunks[chunk]);
                merged.extend(next.iter().cloned());
            }
        }
        Some(removed)
    }

    /// Whether the family has no member left.
    pub(crate) fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// The members in registration order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Member> {
        self.chunks.iter().flat_map(|chunk| chunk.iter())
    }

    /// The member, when there is exactly one.
    pub(crate) fn only(&self) -> Option<&Member> {
        match &self.chunks[..] {
            [chunk] => match &chunk[..] {
                [member] => Some(member),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::Timestamp;
    use crate::registry::group::{GroupHandle, MetricGroup, MetricVisitor};

    struct NoMetrics;

    impl MetricGroup for NoMetrics {
        fn visit(&self, _visitor: &mut dyn MetricVisitor) {}
    }

    fn member(group_id: u64) -> Member {
        static GROUP: NoMetrics = NoMetrics;
        Member {
            group_id,
            group: GroupHandle::Static(&GROUP),
            index: 0,
            const_labels: format!("i=\"{group_id}\"").into_boxed_str(),
            label_key: vec![("i".to_owned(), group_id.to_string())],
            registered: Timestamp::now(),
        }
    }

    fn ids(members: &Members) -> Vec<u64> {
        members.iter().map(|member| member.group_id).collect()
    }

    #[test]
    fn members_keep_registration_order_through_pushes_and_removals() {
        let mut members = Members::one(member(0));
        for id in 1..200 {
            members.push(member(id));
        }
        let published = members.clone();
        for id in (0..200).filter(|id| id % 3 != 0) {
            assert_eq!(members.remove_group(id).map(|m| m.group_id), Some(id));
        }
        assert!(members.remove_group(1).is_none(), "already gone");
        assert_eq!(ids(&members), (0..200).step_by(3).collect::<Vec<_>>());
        assert_eq!(
            ids(&published),
            (0..200).collect::<Vec<_>>(),
            "a copy is untouched"
        );
        members.push(member(500));
        assert_eq!(ids(&members).last(), Some(&500));
        // Removals merge chunks: no more than one chunk per half-full chunk's worth.
        assert!(members.chunks.len() <= ids(&members).len().div_ceil(CHUNK / 2) + 1);
        for id in ids(&members) {
            members.remove_group(id);
        }
        assert!(members.is_empty() && members.only().is_none());
    }

    #[test]
    fn only_is_the_single_member() {
        let mut members = Members::one(member(7));
        assert_eq!(members.only().map(|m| m.group_id), Some(7));
        members.push(member(8));
        assert!(members.only().is_none());
        members.remove_group(7);
        assert_eq!(members.only().map(|m| m.group_id), Some(8));
    }
}
