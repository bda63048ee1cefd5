//! Which stack each group goes in. CloudFormation replaces a resource that
//! moves between stacks (delete in one, create in the other), so for a live
//! Auto Scaling group a move means new instances. Placement is therefore
//! sticky: with the previous build's manifest, every group stays in its
//! stack; new groups go where there is room, then into new stacks; only a
//! group whose stack can no longer hold it moves, and the move is reported.
//!
//! Shapes (`base` is `APP-ENV`):
//! - one stack `base` with the topics and every group, while it fits;
//! - a topics stack (`base-shared`, or `base` itself when an environment
//!   outgrew its single stack) plus group stacks `base-1`, `base-2`, ...
//!   that import the topic ARNs.
//!
//! Placement here counts resources only; the caller renders and calls
//! [`Layout::evict`] when a stack is over the byte limit.

use super::MAX_RESOURCES;
use std::collections::HashMap;

/// One group to place: its name and how many resources it becomes.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// The group's name in the spec.
    pub name: &'a str,
    /// Its resources.
    pub resources: usize,
}

/// Where a previous build put groups: the stacks of one environment from
/// its manifest, in order, each with its groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Previous {
    /// `(stack name, groups)` in manifest order.
    pub stacks: Vec<(String, Vec<String>)>,
}

/// A stack to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Stack name.
    pub name: String,
    /// Indices of the groups it holds, in spec order.
    pub groups: Vec<usize>,
    /// Whether it holds the SNS topics.
    pub topics: bool,
}

/// A group that changes stack: a replacement in CloudFormation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The group's index.
    pub group: usize,
    /// The stack it was in.
    pub from: String,
    /// The stack it goes to.
    pub to: String,
}

/// The placement of one environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Stacks in deploy order: the one with the topics first.
    pub slots: Vec<Slot>,
    /// Groups that change stack.
    pub moves: Vec<Move>,
    /// Stacks of the previous build that now hold nothing.
    pub emptied: Vec<String>,
    /// Group index -> the stack it was in before, if any.
    was: HashMap<usize, String>,
    /// Resources of the topics.
    topics: usize,
    base: String,
    /// The highest `base-N` number used so far, by this build or the last.
    last_number: usize,
}

impl Layout {
    /// Whether everything is in one stack (`base`, topics and all groups).
    pub fn single(&self) -> bool {
        self.slots.len() == 1 && self.slots[0].topics && self.slots[0].name == self.base
    }

    /// The stack holding the topics, if it isn't the only stack.
    pub fn topics_stack(&self) -> Option<&str> {
        if self.single() {
            return None;
        }
        self.slots
            .iter()
            .find(|s| s.topics)
            .map(|s| s.name.as_str())
    }

    fn used(&self, slot: &Slot, items: &[Item]) -> usize {
        slot.groups
            .iter()
            .map(|g| items[*g].resources)
            .sum::<usize>()
            + if slot.topics { self.topics } else { 0 }
    }

    /// Puts `group` in the first stack with room for it (never the
    /// `-shared` topics stack), or in a new stack; records a move if the
    /// group was in another stack before. `avoid` is a stack known to be
    /// too large for it.
    fn put(&mut self, group: usize, items: &[Item], avoid: Option<&str>) {
        let shared = format!("{}-shared", self.base);
        let need = items[group].resources;
        let target = (0..self.slots.len()).find(|&i| {
            let s = &self.slots[i];
            s.name != shared
                && Some(s.name.as_str()) != avoid
                && self.used(s, items) + need <= MAX_RESOURCES
        });
        let i = match target {
            Some(i) => i,
            None => {
                self.last_number += 1;
                self.slots.push(Slot {
                    name: format!("{}-{}", self.base, self.last_number),
                    groups: vec![],
                    topics: false,
                });
                self.slots.len() - 1
            }
        };
        let slot = &mut self.slots[i];
        let at = slot.groups.partition_point(|g| *g < group);
        slot.groups.insert(at, group);
        if let Some(from) = self.was.get(&group)
            && *from != slot.name
        {
            let to = slot.name.clone();
            self.moves.retain(|m| m.group != group);
            self.moves.push(Move {
                group,
                from: from.clone(),
                to,
            });
        }
    }

    /// Takes the largest group out of stack `slot` (too large in bytes) and
    /// places it elsewhere: an environment in one stack splits this way,
    /// keeping the topics and its other groups where they are. Returns the
    /// group, or `None` when the stack has no group to give.
    pub fn evict(&mut self, slot: usize, items: &[Item]) -> Option<usize> {
        let s = self.slots.get_mut(slot)?;
        if s.groups.is_empty() || (s.groups.len() == 1 && !s.topics) {
            return None;
        }
        let group = take_largest(s, items)?;
        let name = s.name.clone();
        self.put(group, items, Some(&name));
        Some(group)
    }
}

/// Takes the group with the most resources out of a stack (the last of
/// equals, so that older groups stay).
fn take_largest(slot: &mut Slot, items: &[Item]) -> Option<usize> {
    let at = (0..slot.groups.len()).max_by_key(|&i| (items[slot.groups[i]].resources, i))?;
    Some(slot.groups.remove(at))
}

/// `base-7` -> 7.
fn number(base: &str, stack: &str) -> Option<usize> {
    stack
        .strip_prefix(base)
        .and_then(|r| r.strip_prefix('-'))
        .and_then(|n| n.parse().ok())
}

/// Places an environment's groups. `topics` is the number of topic
/// resources; `previous`, the last build's stacks of this environment.
pub fn place(base: &str, items: &[Item], topics: usize, previous: Option<&Previous>) -> Layout {
    let total: usize = topics + items.iter().map(|i| i.resources).sum::<usize>();
    let mut layout = Layout {
        slots: vec![],
        moves: vec![],
        emptied: vec![],
        was: HashMap::new(),
        topics,
        base: base.to_string(),
        last_number: 0,
    };
    let shared = format!("{base}-shared");
    let ours = |name: &str| name == base || name == shared || number(base, name).is_some();
    let prev: Vec<&(String, Vec<String>)> = previous
        .map(|p| p.stacks.iter().filter(|(n, _)| ours(n)).collect())
        .unwrap_or_default();
    let index: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.name, i))
        .collect();
    if prev.is_empty() {
        // A fresh placement: one stack if it fits, else topics apart and
        // groups first-fit in spec order.
        if total <= MAX_RESOURCES {
            layout.slots.push(Slot {
                name: base.to_string(),
                groups: (0..items.len()).collect(),
                topics: true,
            });
            return layout;
        }
        if topics > 0 {
            layout.slots.push(Slot {
                name: shared,
                groups: vec![],
                topics: true,
            });
        }
        for g in 0..items.len() {
            layout.put(g, items, None);
        }
        return layout;
    }
    layout.last_number = prev
        .iter()
        .filter_map(|(n, _)| number(base, n))
        .max()
        .unwrap_or(0);
    let was_single = prev.iter().any(|(n, _)| n == base);
    if was_single && total <= MAX_RESOURCES {
        layout.slots.push(Slot {
            name: base.to_string(),
            groups: (0..items.len()).collect(),
            topics: true,
        });
        return layout;
    }
    // Previous stacks keep their groups; the topics stay where they were
    // (`base` or `base-shared`), or get `base-shared` if they are new.
    let holder = if was_single {
        base.to_string()
    } else {
        shared.clone()
    };
    let mut holder_seen = false;
    for (name, groups) in &prev {
        let holds_topics = *name == holder;
        holder_seen |= holds_topics;
        let mut kept: Vec<usize> = groups
            .iter()
            .filter_map(|g| index.get(g.as_str()).copied())
            .collect();
        kept.sort_unstable();
        for g in &kept {
            layout.was.insert(*g, name.clone());
        }
        layout.slots.push(Slot {
            name: name.clone(),
            groups: kept,
            topics: holds_topics && topics > 0,
        });
    }
    if !holder_seen && topics > 0 {
        layout.slots.insert(
            0,
            Slot {
                name: holder.clone(),
                groups: vec![],
                topics: true,
            },
        );
    }
    // The topics stack first.
    if let Some(i) = layout.slots.iter().position(|s| s.topics) {
        let s = layout.slots.remove(i);
        layout.slots.insert(0, s);
    }
    // Stacks over the resource limit give up groups, largest first: the
    // fewest moves, each a replacement.
    let mut homeless: Vec<usize> = Vec::new();
    for i in 0..layout.slots.len() {
        while layout.used(&layout.slots[i], items) > MAX_RESOURCES
            && layout.slots[i].groups.len() > 1
        {
            if let Some(g) = take_largest(&mut layout.slots[i], items) {
                homeless.push(g);
            }
        }
    }
    let placed: std::collections::HashSet<usize> = layout.was.keys().copied().collect();
    homeless.extend((0..items.len()).filter(|g| !placed.contains(g)));
    homeless.sort_unstable();
    homeless.dedup();
    for g in homeless {
        layout.put(g, items, None);
    }
    // Stacks left with nothing to hold are no longer built.
    let (keep, gone): (Vec<Slot>, Vec<Slot>) = layout
        .slots
        .drain(..)
        .partition(|s| !s.groups.is_empty() || s.topics);
    layout.slots = keep;
    layout.emptied = gone.into_iter().map(|s| s.name).collect();
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize, each: usize) -> Vec<String> {
        let _ = each;
        (0..n).map(|i| format!("g{i}")).collect()
    }

    fn layout(names: &[String], each: usize, prev: Option<&Previous>) -> Layout {
        let it: Vec<Item> = names
            .iter()
            .map(|n| Item {
                name: n,
                resources: each,
            })
            .collect();
        place("a-p", &it, 1, prev)
    }

    fn previous(l: &Layout, names: &[String]) -> Previous {
        Previous {
            stacks: l
                .slots
                .iter()
                .map(|s| {
                    (
                        s.name.clone(),
                        s.groups.iter().map(|g| names[*g].clone()).collect(),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn a_small_environment_is_one_stack() {
        let names = items(3, 10);
        let l = layout(&names, 10, None);
        assert!(l.single());
        assert_eq!(l.slots[0].groups, vec![0, 1, 2]);
    }

    #[test]
    fn a_large_one_is_split_first_fit() {
        let names = items(30, 40);
        let l = layout(&names, 40, None);
        assert_eq!(l.slots[0].name, "a-p-shared");
        assert_eq!(l.slots[1].name, "a-p-1");
        assert_eq!(l.slots[1].groups.len(), 12);
        assert_eq!(l.slots.len(), 4);
    }

    #[test]
    fn inserting_deleting_and_reordering_keep_every_group_in_its_stack() {
        let names = items(30, 40);
        let first = layout(&names, 40, None);
        let prev = previous(&first, &names);
        // Insert two groups in the middle, delete one, reverse the order.
        let mut changed: Vec<String> = names.clone();
        changed.insert(5, "new1".into());
        changed.insert(17, "new2".into());
        changed.retain(|n| n != "g20");
        changed.reverse();
        let second = layout(&changed, 40, Some(&prev));
        assert!(second.moves.is_empty(), "{:?}", second.moves);
        let stack_of = |l: &Layout, names: &[String], g: &str| {
            l.slots
                .iter()
                .find(|s| s.groups.iter().any(|i| names[*i] == g))
                .map(|s| s.name.clone())
        };
        for n in &names {
            if n != "g20" {
                assert_eq!(
                    stack_of(&first, &names, n),
                    stack_of(&second, &changed, n),
                    "{n}"
                );
            }
        }
        // g20's stack had room, so the new groups fill it before a new stack opens.
        assert!(stack_of(&second, &changed, "new1").is_some());
        assert_eq!(second.slots.len(), first.slots.len());
    }

    #[test]
    fn a_stack_that_outgrows_the_limit_moves_its_last_groups_and_says_so() {
        let names = items(24, 40);
        let first = layout(&names, 40, None);
        let prev = previous(&first, &names);
        let it: Vec<Item> = names
            .iter()
            .enumerate()
            .map(|(i, n)| Item {
                name: n,
                resources: if i == 0 { 80 } else { 40 },
            })
            .collect();
        let second = place("a-p", &it, 1, Some(&prev));
        // The group that grew moves, not the newest ones.
        assert_eq!(second.moves.len(), 1, "{:?}", second.moves);
        assert_eq!(second.moves[0].group, 0);
        assert_eq!(second.moves[0].from, "a-p-1");
        assert_ne!(second.moves[0].to, "a-p-1");
    }

    #[test]
    fn an_environment_that_outgrows_one_stack_keeps_it_for_its_groups() {
        let names = items(10, 40);
        let first = layout(&names, 40, None);
        assert!(first.single());
        let prev = previous(&first, &names);
        let more = items(20, 40);
        let second = layout(&more, 40, Some(&prev));
        assert!(second.moves.is_empty());
        assert_eq!(second.slots[0].name, "a-p");
        assert!(second.slots[0].topics);
        // Its groups stay; new ones fill the room left, then a new stack.
        assert_eq!(second.slots[0].groups[..10], (0..10).collect::<Vec<_>>());
        assert_eq!(second.topics_stack(), Some("a-p"));
        assert_eq!(second.slots[1].name, "a-p-1");
        assert_eq!(
            second.slots[0].groups.len() + second.slots[1].groups.len(),
            20
        );
    }

    #[test]
    fn a_stack_left_empty_is_reported() {
        let names = items(30, 40);
        let first = layout(&names, 40, None);
        let prev = previous(&first, &names);
        let last: Vec<String> = first.slots[3]
            .groups
            .iter()
            .map(|g| names[*g].clone())
            .collect();
        let fewer: Vec<String> = names
            .iter()
            .filter(|n| !last.contains(n))
            .cloned()
            .collect();
        let second = layout(&fewer, 40, Some(&prev));
        assert_eq!(second.emptied, vec![first.slots[3].name.clone()]);
    }
}
