//! Soft delete (issue 12): deleted rows never leak through a read path, opting out works,
//! and deleting, cascading, restoring and unique constraints behave.
//!
//! Every read test runs on the same seed, where each path has a deleted row that it would
//! return if its filter were missing: a deleted member (bob) with a live note, a deleted note
//! of a live member, a deleted remark, a deleted profile, a deleted team, and a live member
//! (dave) whose only note is deleted.

use futures_util::TryStreamExt;
use orm::prelude::*;

use crate::backend_tests;
use crate::integrity_models::*;

/// The seeded keys.
struct Seed {
    alice: i64,
    bob: i64,
    carol: i64,
    dave: i64,
    /// alice's live note, and her deleted one.
    n1: i64,
    n2: i64,
    /// bob's live note.
    n3: i64,
    /// carol's live note; dave's deleted note.
    n4: i64,
    n5: i64,
    /// n1's live and deleted remarks.
    r1: i64,
    r2: i64,
    /// A live team and a deleted one.
    t1: i64,
    t2: i64,
}

async fn member(db: &Database, name: &str) -> Result<i64> {
    Ok(NewMember {
        email: format!("{name}@example.com"),
        name: name.into(),
    }
    .insert(db)
    .await?
    .id)
}

async fn note(db: &Database, member_id: i64, title: &str) -> Result<i64> {
    Ok(NewNote {
        member_id,
        title: title.into(),
    }
    .insert(db)
    .await?
    .id)
}

/// Mark rows deleted without cascading (a plain update of the column).
async fn mark_deleted<M: Model>(
    db: &Database,
    column: Column<M, Option<DateTime<Utc>>>,
    key: Column<M, i64>,
    id: i64,
) -> Result<()> {
    let updated = orm::Update::<M>::new()
        .filter(key.eq(id))
        .set(column, Some(Utc::now()))
        .exec(db)
        .await?;
    assert_eq!(updated, 1);
    Ok(())
}

async fn seed(db: &Database) -> Result<Seed> {
    db.create_all(&integrity_schema()).await?;
    let (alice, bob, carol, dave) = (
        member(db, "alice").await?,
        member(db, "bob").await?,
        member(db, "carol").await?,
        member(db, "dave").await?,
    );
    let (n1, n2, n3, n4, n5) = (
        note(db, alice, "a1").await?,
        note(db, alice, "a2").await?,
        note(db, bob, "b1").await?,
        note(db, carol, "c1").await?,
        note(db, dave, "d1").await?,
    );
    let r1 = NewRemark {
        note_id: n1,
        body: "kept".into(),
    }
    .insert(db)
    .await?
    .id;
    let r2 = NewRemark {
        note_id: n1,
        body: "gone".into(),
    }
    .insert(db)
    .await?
    .id;
    NewProfile {
        member_id: alice,
        bio: "alice's".into(),
    }
    .insert(db)
    .await?;
    let carol_profile = NewProfile {
        member_id: carol,
        bio: "carol's".into(),
    }
    .insert(db)
    .await?
    .id;
    let t1 = NewTeam {
        name: "live".into(),
    }
    .insert(db)
    .await?
    .id;
    let t2 = NewTeam {
        name: "gone".into(),
    }
    .insert(db)
    .await?
    .id;
    for (member_id, team_id) in [(alice, t1), (alice, t2), (bob, t1), (carol, t2)] {
        NewMembership { member_id, team_id }.insert(db).await?;
    }
    mark_deleted(db, Member::deleted_at, Member::id, bob).await?;
    mark_deleted(db, Note::deleted_at, Note::id, n2).await?;
    mark_deleted(db, Note::deleted_at, Note::id, n5).await?;
    mark_deleted(db, Remark::deleted_at, Remark::id, r2).await?;
    mark_deleted(db, Profile::deleted_at, Profile::id, carol_profile).await?;
    mark_deleted(db, Team::deleted_at, Team::id, t2).await?;
    Ok(Seed {
        alice,
        bob,
        carol,
        dave,
        n1,
        n2,
        n3,
        n4,
        n5,
        r1,
        r2,
        t1,
        t2,
    })
}

fn ids<M: Model<Key = i64>>(rows: &[M]) -> Vec<i64> {
    let mut ids: Vec<i64> = rows.iter().map(Model::key).collect();
    ids.sort_unstable();
    ids
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

backend_tests! {
    async fn queries_hide_deleted_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let live = [s.alice, s.carol, s.dave];
        assert_eq!(ids(&Member::query().all(db).await?), live);
        assert_eq!(ids(&Member::query().filter(Member::name.ne("x")).all(db).await?), live);
        assert_eq!(ids(&Member::query().with_deleted().all(db).await?), [s.alice, s.bob, s.carol, s.dave]);
        assert_eq!(ids(&Member::query().only_deleted().all(db).await?), [s.bob]);
        assert_eq!(ids(&Member::query().only_deleted().filter(Member::name.eq("bob")).all(db).await?), [s.bob]);
        // first / one / optional and streams.
        let first = Member::query().order_by(Member::name.desc()).first(db).await?;
        assert_eq!(first.map(|m| m.id), Some(s.dave));
        let bobs = Member::query().filter(Member::name.eq("bob"));
        assert!(bobs.optional(db).await?.is_none());
        let streamed: Vec<Member> = Member::query().stream(db).try_collect().await?;
        assert_eq!(ids(&streamed), live);
        // Keyset pages.
        let page = Member::query().keyset(Member::id.asc(), Some(s.alice)).all(db).await?;
        assert_eq!(ids(&page), [s.carol, s.dave]);
        Ok(())
    }

    async fn get_find_count_and_exists_hide_deleted_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        assert_eq!(Member::get(db, s.bob).await.expect_err("hidden").kind(), ErrorKind::NotFound);
        assert_eq!(Member::get(db, s.alice).await?.id, s.alice);
        assert!(Member::find(s.bob).optional(db).await?.is_none());
        assert_eq!(Member::find(s.bob).with_deleted().one(db).await?.id, s.bob);
        assert_eq!(Member::query().count(db).await?, 3);
        assert_eq!(Member::query().filter(Member::id.ge(s.alice)).count(db).await?, 3);
        assert_eq!(Member::query().with_deleted().count(db).await?, 4);
        assert_eq!(Member::query().only_deleted().count(db).await?, 1);
        assert!(!Member::query().filter(Member::id.eq(s.bob)).exists(db).await?);
        assert!(Member::query().filter(Member::id.eq(s.bob)).with_deleted().exists(db).await?);
        assert_eq!(Note::query().count(db).await?, 3, "n1, n3, n4");
        assert_eq!(Note::get(db, s.n2).await.expect_err("hidden").kind(), ErrorKind::NotFound);
        Ok(())
    }

    async fn joins_hide_deleted_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        // Through a relationship: deleted notes, and notes of deleted members, are out.
        let pairs = Member::query().join(Member::notes).select((Member::id, Note::id)).all(db).await?;
        assert_eq!(sorted(pairs), [(s.alice, s.n1), (s.carol, s.n4)]);
        let all = Member::query().with_deleted().join(Member::notes).select((Member::id, Note::id)).all(db).await?;
        assert_eq!(all.len(), 5, "with_deleted reads the joined table's deleted rows too");
        // A left join keeps the member, not the deleted note.
        let left = Member::query()
            .left_join(Member::notes)
            .select((Member::id, Note::id.nullable()))
            .all(db)
            .await?;
        assert_eq!(sorted(left), [(s.alice, Some(s.n1)), (s.carol, Some(s.n4)), (s.dave, None)]);
        // By table, from the child: the deleted member's note is out.
        let notes = Note::query().join(Member::TABLE).select(Note::id).all(db).await?;
        assert_eq!(sorted(notes), [s.n1, s.n4]);
        // Through the junction: the deleted team is out.
        let teams = Member::query().join(Member::groups).select((Member::id, Team::id)).all(db).await?;
        assert_eq!(sorted(teams), [(s.alice, s.t1)]);
        // An aliased model table.
        let owner = orm::alias::<Member>("owner");
        let notes = Note::query()
            .join_on(owner, owner.col(Member::id).eq(Note::member_id))
            .select(Note::id)
            .all(db)
            .await?;
        assert_eq!(sorted(notes), [s.n1, s.n4]);
        // only_deleted applies to the queried table; joins still hide theirs.
        let trash = Note::query().only_deleted().join(Member::TABLE).select(Note::id).all(db).await?;
        assert_eq!(sorted(trash), [s.n2, s.n5]);
        Ok(())
    }

    async fn eager_loads_hide_deleted_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let members = Member::query()
            .order_by(Member::id)
            .with(Member::notes.with(Note::remarks))
            .with(Member::groups)
            .with(Member::profile)
            .all(db)
            .await?;
        assert_eq!(ids(&members), [s.alice, s.carol, s.dave]);
        let alice = &members[0];
        assert_eq!(ids(alice.notes.get()?), [s.n1], "has_many");
        assert_eq!(ids(alice.notes.get()?[0].remarks.get()?), [s.r1], "nested has_many");
        assert_eq!(ids(alice.groups.get()?), [s.t1], "many_to_many");
        assert!(alice.profile.get()?.is_some(), "has_one, live");
        assert!(members[1].profile.get()?.is_none(), "has_one, deleted");
        assert!(members[2].notes.get()?.is_empty(), "dave's only note is deleted");
        // Windowed (per-parent limit) loads.
        let limited = Member::query().order_by(Member::id).with(Member::notes.limit(5)).all(db).await?;
        assert_eq!(ids(limited[0].notes.get()?), [s.n1]);
        // Opting out per relationship.
        let with_deleted = Member::query()
            .order_by(Member::id)
            .with(Member::notes.with_deleted().with(Note::remarks.with_deleted()))
            .with(Member::groups.with_deleted())
            .all(db)
            .await?;
        let alice = &with_deleted[0];
        assert_eq!(ids(alice.notes.get()?), [s.n1, s.n2]);
        assert_eq!(ids(alice.notes.get()?[0].remarks.get()?), [s.r1, s.r2]);
        assert_eq!(ids(alice.groups.get()?), [s.t1, s.t2]);
        // load_for on rows already fetched.
        let mut fetched = Member::query().order_by(Member::id).all(db).await?;
        Member::notes.load_for(&mut fetched, db).await?;
        assert_eq!(ids(fetched[0].notes.get()?), [s.n1]);
        Ok(())
    }

    async fn a_deleted_parent_reads_as_absent(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        for joined in [true, false] {
            let spec = if joined { Note::member.joined() } else { Note::member.select_in() };
            let notes = Note::query().order_by(Note::id).with(spec).all(db).await?;
            assert_eq!(ids(&notes), [s.n1, s.n3, s.n4]);
            assert_eq!(notes[0].member.get()?.id, s.alice);
            let hidden = notes[1].member.get().expect_err("bob is deleted");
            assert_eq!(hidden.kind(), ErrorKind::NotFound, "joined: {joined}");
        }
        let notes = Note::query().order_by(Note::id).with(Note::member.with_deleted()).all(db).await?;
        assert_eq!(notes[1].member.get()?.id, s.bob);
        let profiles = Profile::query().with_deleted().order_by(Profile::id).with(Profile::member).all(db).await?;
        assert_eq!(profiles.len(), 2);
        Ok(())
    }

    async fn relationship_filters_and_counts_hide_deleted_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let with_notes = Member::query().filter(Member::notes.exists()).all(db).await?;
        assert_eq!(ids(&with_notes), [s.alice, s.carol], "dave's only note is deleted");
        let titled = Member::query().filter(Member::notes.any(Note::title.eq("a2"))).all(db).await?;
        assert!(titled.is_empty(), "a2 is deleted");
        let counts = Member::query().select((Member::id, Member::notes.count())).all(db).await?;
        assert_eq!(sorted(counts), [(s.alice, 1), (s.carol, 1), (s.dave, 0)]);
        let in_teams = Member::query().filter(Member::groups.exists()).all(db).await?;
        assert_eq!(ids(&in_teams), [s.alice], "carol's only team is deleted");
        Ok(())
    }

    async fn subqueries_hide_deleted_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let of_live = Note::query()
            .filter(Note::member_id.in_subquery(Member::query().select(Member::id)))
            .select(Note::id)
            .all(db)
            .await?;
        assert_eq!(sorted(of_live), [s.n1, s.n4], "bob's note n3 is out");
        let live = orm::cte("live_members", Member::query().select(Member::id));
        let from_cte: Vec<i64> = select_from(&live).select(live.col(Member::id)).all(db).await?;
        assert_eq!(sorted(from_cte), [s.alice, s.carol, s.dave]);
        let derived = Member::query().select((Member::id, Member::name)).derived("d");
        let from_derived: Vec<i64> = select_from(&derived).select(derived.col(Member::id)).all(db).await?;
        assert_eq!(sorted(from_derived), [s.alice, s.carol, s.dave]);
        let union = Member::query()
            .filter(Member::id.eq(s.alice))
            .union(Member::query().filter(Member::id.eq(s.bob)))
            .all(db)
            .await?;
        assert_eq!(ids(&union), [s.alice]);
        let newest: Option<i64> = Member::query()
            .select(max(Member::id))
            .one(db)
            .await?;
        assert_eq!(newest, Some(s.dave));
        let _ = (s.n2, s.n3, s.n5, s.r2, s.t2);
        Ok(())
    }
}

backend_tests! {
    async fn deleting_restoring_and_forcing(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let id = member(db, "erin").await?;
        let mut erin = Member::get(db, id).await?;
        erin.delete(db).await?;
        assert_eq!(Member::get(db, id).await.expect_err("hidden").kind(), ErrorKind::NotFound);
        let stored = Member::find(id).with_deleted().one(db).await?;
        assert!(stored.deleted_at.is_some(), "the row stays, marked");
        assert_eq!(stored.version, 2, "a soft delete bumps the version");
        // Deleting again: the row is not there to delete (as reads see it).
        let again = Member::find(id).with_deleted().one(db).await?;
        assert_eq!(again.delete(db).await.expect_err("deleted").kind(), ErrorKind::NotFound);
        // Restore clears it and refreshes the model.
        let mut restored = Member::find(id).with_deleted().one(db).await?;
        restored.restore(db).await?;
        assert!(restored.deleted_at.is_none());
        assert_eq!(restored.version, 3);
        assert_eq!(Member::get(db, id).await?.id, id);
        // A stale copy (erin, version 1) can neither delete nor restore.
        assert_eq!(erin.delete(db).await.expect_err("stale").kind(), ErrorKind::StaleObject);
        assert_eq!(erin.restore(db).await.expect_err("stale").kind(), ErrorKind::StaleObject);
        // force_delete removes the row, deleted or not.
        restored.delete(db).await?;
        let deleted = Member::find(id).with_deleted().one(db).await?;
        deleted.force_delete(db).await?;
        assert!(Member::find(id).with_deleted().optional(db).await?.is_none());
        assert_eq!(deleted.force_delete(db).await.expect_err("gone").kind(), ErrorKind::NotFound);
        Ok(())
    }

    async fn bulk_deletes_and_updates(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        // Updates leave deleted rows alone unless asked.
        let renamed = Member::update().filter(Member::id.ge(s.alice)).set(Member::name, "x").exec(db).await?;
        assert_eq!(renamed, 3);
        let bob = Member::find(s.bob).with_deleted().one(db).await?;
        assert_eq!(bob.name, "bob");
        let renamed = Member::update().with_deleted().filter(Member::id.ge(s.alice)).set(Member::name, "y").exec(db).await?;
        assert_eq!(renamed, 4);
        // A bulk delete soft-deletes the live rows it matches; deleted ones keep their time.
        let bob_deleted_at = Member::find(s.bob).with_deleted().one(db).await?.deleted_at;
        let deleted = Member::delete().filter(Member::id.ne(s.alice)).exec(db).await?;
        assert_eq!(deleted, 2, "carol and dave (bob was deleted already)");
        assert_eq!(Member::find(s.bob).with_deleted().one(db).await?.deleted_at, bob_deleted_at);
        assert_eq!(ids(&Member::query().all(db).await?), [s.alice]);
        assert_eq!(Member::query().with_deleted().count(db).await?, 4);
        // Unfiltered is still refused.
        assert_eq!(Member::delete().exec(db).await.expect_err("unfiltered").kind(), ErrorKind::UnfilteredMutation);
        // force() removes rows; the database's cascade removes their notes.
        let removed = Member::delete().force().filter(Member::id.eq(s.bob)).exec(db).await?;
        assert_eq!(removed, 1);
        assert_eq!(Member::query().with_deleted().count(db).await?, 3);
        assert!(Note::find(s.n3).with_deleted().optional(db).await?.is_none());
        // RETURNING of a soft delete without cascades.
        let returned = Team::delete().filter(Team::id.eq(s.t1)).returning(Team::id).all(db).await?;
        assert_eq!(returned, [s.t1]);
        assert_eq!(Team::query().count(db).await?, 0);
        Ok(())
    }

    async fn soft_deletes_cascade_to_soft_deletable_children(t: &TestDb) -> Result<()> {
        let db = &t.db;
        let s = seed(db).await?;
        let n2_deleted_at = Note::find(s.n2).with_deleted().one(db).await?.deleted_at;
        let (result, log) = orm::guard::count_statements(async {
            Member::get(db, s.alice).await?.delete(db).await
        })
        .await;
        result?;
        assert_eq!(log.len(), 1 + 3, "get, then remarks, notes and the member in one unit: {:?}", log.statements());
        // Her live note and its live remark are deleted with her; the rows deleted before keep
        // their time; the profile (no cascade) and the junction rows stay.
        assert!(Note::find(s.n1).optional(db).await?.is_none());
        assert!(Remark::find(s.r1).optional(db).await?.is_none());
        assert_eq!(Note::find(s.n2).with_deleted().one(db).await?.deleted_at, n2_deleted_at);
        assert_eq!(Profile::query().filter(Profile::member_id.eq(s.alice)).count(db).await?, 1);
        assert_eq!(Membership::query().filter(Membership::member_id.eq(s.alice)).count(db).await?, 2);
        // Restoring the member restores only the member.
        let mut alice = Member::find(s.alice).with_deleted().one(db).await?;
        alice.restore(db).await?;
        assert!(Note::find(s.n1).optional(db).await?.is_none());
        // A stale delete cascades nothing.
        let mut stale = alice.clone();
        stale.version -= 1;
        let n4 = Note::get(db, s.n4).await?;
        assert_eq!(stale.delete(db).await.expect_err("stale").kind(), ErrorKind::StaleObject);
        assert_eq!(Note::query().filter(Note::member_id.eq(s.alice)).with_deleted().count(db).await?, 2);
        // A bulk delete cascades the same way.
        Member::delete().filter(Member::id.eq(s.carol)).exec(db).await?;
        assert!(Note::find(n4.id).optional(db).await?.is_none());
        // RETURNING cannot follow a cascade (several statements): refused before sending.
        let refused = Member::delete().filter(Member::id.eq(s.dave)).returning(Member::id).all(db).await;
        assert_eq!(refused.expect_err("refused").kind(), ErrorKind::InvalidStatement);
        assert!(Member::find(s.dave).optional(db).await?.is_some());
        Ok(())
    }

    async fn a_self_referencing_cascade_reaches_every_descendant(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let reply = async |parent: Option<i64>, body: &str| -> Result<i64> {
            Ok(NewReply { parent_id: parent, body: body.into() }.insert(db).await?.id)
        };
        let r1 = reply(None, "root").await?;
        let r2 = reply(Some(r1), "deleted").await?;
        let r3 = reply(Some(r2), "child").await?;
        let r4 = reply(Some(r3), "grandchild").await?;
        let r5 = reply(Some(r1), "sibling").await?;
        let r6 = reply(None, "other thread").await?;
        let r7 = reply(Some(r2), "deleted before").await?;
        let r8 = reply(Some(r7), "under a deleted reply").await?;
        let mut likes = Vec::new();
        for reply_id in [r2, r4, r6] {
            likes.push(NewLike { reply_id }.insert(db).await?.id);
        }
        mark_deleted(db, Reply::deleted_at, Reply::id, r7).await?;
        let r7_deleted_at = Reply::find(r7).with_deleted().one(db).await?.deleted_at;
        Reply::get(db, r2).await?.delete(db).await?;
        let live = ids(&Reply::query().all(db).await?);
        assert_eq!(live, [r1, r5, r6, r8], "r2's live subtree is deleted; r8 hangs under a reply deleted before");
        assert_eq!(Reply::find(r7).with_deleted().one(db).await?.deleted_at, r7_deleted_at);
        assert_eq!(ids(&Like::query().all(db).await?), [likes[2]], "likes of the deleted replies go too");
        let roots = Reply::query()
            .filter(Reply::parent_id.is_null())
            .order_by(Reply::id)
            .with(Reply::replies)
            .with(Reply::likes)
            .all(db)
            .await?;
        assert_eq!(ids(roots[0].replies.get()?), [r5]);
        assert_eq!(ids(roots[1].likes.get()?), [likes[2]]);
        let _ = (r3, r4);
        Ok(())
    }

    async fn a_unique_index_can_ignore_deleted_rows(t: &TestDb) -> Result<()> {
        let db = &t.db;
        db.create_all(&integrity_schema()).await?;
        let first = member(db, "frank").await?;
        let duplicate = NewMember { email: "frank@example.com".into(), name: "again".into() }.insert(db).await.expect_err("taken");
        assert_eq!(duplicate.kind(), ErrorKind::UniqueViolation, "{duplicate}");
        assert_eq!(duplicate.constraint().and_then(|c| c.field()), Some("email"), "{duplicate:?}");
        Member::get(db, first).await?.delete(db).await?;
        // Deleted: the address can be used again.
        let second = member(db, "frank").await?;
        assert_ne!(first, second);
        // An upsert on the column finds the partial index.
        orm::insert([NewMember { email: "frank@example.com".into(), name: "upserted".into() }])
            .on_conflict(Member::email)
            .do_update(Member::name, excluded(Member::name))
            .exec(db)
            .await?;
        let stored = Member::get(db, second).await?;
        assert_eq!((stored.name.as_str(), stored.version), ("upserted", 2));
        assert_eq!(Member::query().with_deleted().count(db).await?, 2);
        // Restoring the first would make two live rows with one address: refused.
        let mut old = Member::find(first).with_deleted().one(db).await?;
        assert_eq!(old.restore(db).await.expect_err("taken").kind(), ErrorKind::UniqueViolation);
        Ok(())
    }
}
