/*
 * lock.pml is a Promela model of the DLL's lock and wait protocol, as
 * project/dll/core.c.tmpl and its platform headers implement it, for spin.
 * lock_model_test.go builds and checks it, once per property and platform;
 * the README's "The lock, model-checked" says what each property means.
 *
 * Every modelled step carries a comment of the form
 *     FILE FUNCTION: C STATEMENT
 * that quotes the statement it models, verbatim from the template (FILE is
 * core.c, platform_linux.h or platform_windows.h): the test fails when a
 * quoted statement is no longer in that function, so that a change to the
 * C shows here.
 *
 * A Promela statement is one step that another process may see: a load or
 * a store of the header, an interlocked operation, a kernel call. Loads
 * that only the lock's holder makes are folded into one step, and ghost
 * variables (the properties' bookkeeping) ride along with the step they
 * describe. Memory is sequentially consistent: the interlocked operations
 * and fences of core.c are what make that true of the C.
 *
 * Variants, chosen with -D when spin -a runs:
 *   LINUX or WINDOWS    the platform's sleep and wake (LINUX by default)
 *   WRITERS, READERS,   how many of the 3 processes call the lock's exports,
 *   WAITERS             how many only read, and how many call the wait
 *                       export (the rest do nothing)
 *   OPS                 how many calls each writer makes
 *   DATA                1: a call writes or reads the payload; 0: its
 *                       critical section is one step
 *   READS, KINDS        whether calls read too; how many kinds of write
 *   READ_TRIES          how many times a read tries without the lock
 *                       before it takes it
 *   LATCH               1: calls also write and read the typed record,
 *                       kept twice (a latch), instead of the payload
 *   DEATHS              how many processes may die, each at any step
 *   MORTALS             which may, as bits (7: all)
 *   LOCK_SLICE          1: a lock sleeper's 20 ms slice may end
 *   NOTE_SLICE          1: a wait sleeper's 100 ms slice may end
 *   LOCK_TIMEOUT        1: a lock wait may find its 5 s gone at any check
 *   WAIT_TIMEOUT        1: a wait call may find its timeout gone
 *   SPURIOUS            1: a futex wait may return early (EINTR)
 *   AGE                 how many sleeps cut short (a wake, a signal) add
 *                       up to a whole check of the holder (1: each)
 */

#if !defined(LINUX) && !defined(WINDOWS)
#define LINUX
#endif
#ifndef WRITERS
#define WRITERS 3
#endif
#ifndef READERS
#define READERS 0
#endif
#ifndef WAITERS
#define WAITERS 0
#endif
#ifndef OPS
#define OPS 1
#endif
#ifndef DATA
#define DATA 1
#endif
#ifndef READS
#define READS 1
#endif
#ifndef READ_TRIES
#define READ_TRIES 1
#endif
#ifndef LATCH
#define LATCH 0
#endif
#ifndef KINDS
#define KINDS 3
#endif
#ifndef DEATHS
#define DEATHS 1
#endif
#ifndef MORTALS
#define MORTALS 7
#endif
#ifndef LOCK_SLICE
#define LOCK_SLICE 1
#endif
#ifndef NOTE_SLICE
#define NOTE_SLICE 1
#endif
#ifndef LOCK_TIMEOUT
#define LOCK_TIMEOUT 1
#endif
#ifndef WAIT_TIMEOUT
#define WAIT_TIMEOUT 0
#endif
#ifndef SPURIOUS
#define SPURIOUS 0
#endif
#ifndef AGE
#define AGE 1
#endif

#define N 3            /* processes */
#define CELLS 2        /* the payload's cells: a range is [from, to) */
#define TRACKED (CELLS + LATCH) /* the record's area is cell 2 */
#define BROKEN 255     /* a record copy half-written */
#define CONTENDED 4    /* LOCK_CONTENDED: bit 63 of the word, bit 2 here */
#define ID (me + 1)    /* this process's lock word: its id, 1 to 3 */
#define HOLDER(w) (((w) & 3) - 1)
#define BIT(p) (1 << (p))
#define MORTAL(p) ((MORTALS & BIT(p)) != 0)

/* The header. */
byte lock;             /* 0, or the holder's ID, | CONTENDED */
byte generation = 1;
bit waiting;
byte writing_from, writing_to, torn_from, torn_to;
byte seq;              /* the payload's sequence count */
byte record_seq;       /* the record's latch count */
byte rec[2];           /* the record's copies: its value, or BROKEN */
byte recv;             /* ghost: the last value a record write took */
#ifdef LINUX
byte wake_seq;
byte note_seq;
#else
bit wake_set;          /* the wake event (auto-reset) is set */
bit note_set;          /* the note event (manual-reset) is set */
#endif
/* Who sleeps in the kernel: on the lock (a futex on wake_seq; the wake
 * event) and in the wait export (a futex on note_seq; the note event). A wake, a death or a slice's end takes a sleeper off. */
bit lockq[N];
bit noteq[N];

/* The payload: a cell is whole while no write of it is under way or cut
 * short. */
bit whole[CELLS] = 1;

/* What shmemgen_holder_alive reads: exact, in the model. */
bit alive[N];
byte deaths;

/* Ghosts, for the properties. */
bit incs[N];           /* in the critical section */
bit acq[N];            /* in shmemgen_acquire */
bit in_wait[N];        /* in the wait export */
byte wcur[N];          /* the wait export's current: the generation read */
byte wgen[N];          /* the wait export's *generation: the caller's */
byte setters;          /* whose waiting = 1 the flag holds, as bits */

/* (a) mutual exclusion, as the lock is taken. */
#define GOT_LOCK acq[me] = 0; \
	assert(!incs[(me + 1) % N] && !incs[(me + 2) % N]); incs[me] = 1

/* A death: the kernel takes the process off the queues, and what it had
 * in hand no longer matters. */
#define KILL alive[me] = 0; lockq[me] = 0; noteq[me] = 0; \
	incs[me] = 0; acq[me] = 0; in_wait[me] = 0; wcur[me] = 0; deaths++; \
	seen = 0; ticket = 0; f = 0; t = 0; wt = 0; owed = 0; ops = 0; \
	holder = 0; naps = 0; tries = 0; v = 0; marked = 0; \
	ok = 0; woke = 0; held = 0; torn = 0; complete = 0; status = 0; spun = 0

/* DIE comes before every step that may store: dying there is dying
 * anywhere since the last store, since nobody sees what a process loads.
 * DIE_OPTION lets a sleeper die in its sleep. */
#if DEATHS > 0
#define DIE_OPTION :: deaths < DEATHS && MORTAL(me) -> d_step { KILL }; goto dead
#define DIE if DIE_OPTION :: true fi
#else
#define DIE_OPTION
#define DIE skip
#endif

/* shmemgen_notify wakes every sleeper of the wait export. (d): each wake
 * is owed to a waiting = 1 that no other wake was owed to (owed, the
 * setters the announce took): a waiter that died, or left, costs one wake
 * at most, and nothing after. */
inline notify() {
	d_step {
#ifdef LINUX
		/* platform_linux.h shmemgen_notify: __atomic_add_fetch(&shmemgen_core.header->note_seq, 1, __ATOMIC_SEQ_CST); */
		/* platform_linux.h shmemgen_notify: shmemgen_futex_wake(&shmemgen_core.header->note_seq, INT_MAX); */
		note_seq++;
#else
		/* platform_windows.h shmemgen_notify: SetEvent(shmemgen_core.note); */
		note_set = 1;
#endif
		noteq[0] = 0; noteq[1] = 0; noteq[2] = 0;
		assert(owed != 0);
		owed = 0
	}
}

inline announce() {
#if WAITERS > 0
	DIE;
	/* core.c shmemgen_announce: if (*waiting != 0 && shmemgen_xchg32(waiting, 0) != 0) { */
	d_step {
		if
		:: waiting -> waiting = 0; owed = setters; setters = 0; ok = 1
		:: else -> ok = 0
		fi
	}
	if
	:: ok ->
		DIE;
		/* core.c shmemgen_announce: shmemgen_notify(); */
		notify()
	:: else
	fi;
	ok = 0
#else
	skip /* nobody sets waiting: the load changes nothing */
#endif
}

inline wrote() {
#if WAITERS > 0
	DIE;
	/* core.c shmemgen_wrote: shmemgen_store64(generation, shmemgen_load64(generation) + 1); */
	generation++
#else
	skip /* nobody reads the generation */
#endif
}

/* shmemgen_recover, once the lock is taken over: f, t is the dead
 * holder's mark, merged into the torn range. Only the holder touches these
 * words, so the loads are one step. */
inline recover() {
#if LATCH
	/* core.c shmemgen_recover: shmemgen_relatch(to != 0); */
	/* core.c shmemgen_relatch: if (*seq & 1) { */
	if
	:: record_seq % 2 == 1 ->
		/* copy 1 is whole: the copy over copy 0 is under way, then done */
		DIE;
		/* core.c shmemgen_relatch: memcpy(copy0, copy0 + SHMEMGEN_RECORD_STRIDE, SHMEMGEN_RECORD_SIZE); */
		rec[0] = BROKEN;
		DIE;
		rec[0] = rec[1];
		DIE;
		/* core.c shmemgen_relatch: shmemgen_bump(seq); */
		record_seq++
	:: record_seq % 2 == 0 && writing_to != 0 ->
		DIE;
		/* core.c shmemgen_relatch: memcpy(copy0 + SHMEMGEN_RECORD_STRIDE, copy0, SHMEMGEN_RECORD_SIZE); */
		rec[1] = BROKEN;
		DIE;
		rec[1] = rec[0]
	:: else
	fi;
	/* (g) the last complete record, in both copies */
	assert(rec[0] == rec[1] && rec[0] != BROKEN);
#endif
	/* core.c shmemgen_recover: ULONGLONG to = shmemgen_load64(&h->writing_to); */
	/* core.c shmemgen_recover: ULONGLONG from = shmemgen_load64(&h->writing_from); */
	/* core.c shmemgen_recover: if (to > SHMEMGEN_PAYLOAD_SIZE || from >= to) { */
	/* core.c shmemgen_recover: if (from < SHMEMGEN_BYTES_SIZE) { */
	/* core.c shmemgen_recover: to = to < SHMEMGEN_BYTES_SIZE ? to : SHMEMGEN_BYTES_SIZE; */
	/* core.c shmemgen_recover: ULONGLONG torn_to = shmemgen_load64(&h->torn_to); */
	/* core.c shmemgen_recover: ULONGLONG torn_from = shmemgen_load64(&h->torn_from); */
	/* core.c shmemgen_recover: from = torn_from < from ? torn_from : from; */
	/* core.c shmemgen_recover: to = torn_to > to ? torn_to : to; */
	/* Only the holder touches these words: one step. ok says the dead
	 * one was writing (marked); t is 0 unless what it marked is torn. */
	d_step {
		t = writing_to;
		f = writing_from;
		marked = t != 0;
		if
		:: t > TRACKED || f >= t -> f = 0; t = CELLS
		:: else
		fi;
		if
		:: f < CELLS ->
			t = (t < CELLS -> t : CELLS);
			if
			:: torn_to != 0 ->
				f = (torn_from < f -> torn_from : f);
				t = (torn_to > t -> torn_to : t)
			:: else
			fi
		:: else -> t = 0
		fi;
		if
		:: !marked -> f = 0; t = 0
		:: else
		fi
	}
	/* core.c shmemgen_recover: if (to == 0 && (*seq & 1) == 0) */
	if
	:: !marked && seq % 2 == 0 -> skip
	:: else ->
		/* core.c shmemgen_recover: if ((*seq & 1) == 0) */
		if
		:: seq % 2 == 0 ->
			DIE;
			/* core.c shmemgen_recover: shmemgen_bump(seq); */
			seq++
		:: else
		fi;
		/* core.c shmemgen_recover: if (to != 0) { */
		if
		:: t != 0 ->
			DIE;
			/* core.c shmemgen_recover: shmemgen_store64(&h->torn_from, from); */
			torn_from = f;
			DIE;
			/* core.c shmemgen_recover: shmemgen_store64(&h->torn_to, to); */
			torn_to = t;
		:: else
		fi;
		if
		:: marked ->
			DIE;
			/* core.c shmemgen_recover: shmemgen_store64(&h->writing_to, 0); */
			writing_to = 0
		:: else
		fi;
		d_step { f = 0; t = 0; marked = 0 }
		DIE;
		/* the count even again: the takeover's change is over */
		seq++;
		/* core.c shmemgen_recover: shmemgen_wrote(); */
		wrote();
		/* core.c shmemgen_recover: shmemgen_announce(); */
		announce()
	fi
}

/* shmemgen_take_over: seen is the holder's word; ok says whether this
 * process took the lock. (b): only from a dead holder. The check and the
 * compare-exchange are one step: death is for ever, so a holder found dead
 * is dead at the exchange, and one found alive fails either way. */
inline take_over() {
	DIE;
	/* core.c shmemgen_take_over: if (shmemgen_holder_alive(seen) || shmemgen_cas64(&shmemgen_core.header->lock, mine, seen) != seen) */
	d_step {
		if
		:: !alive[HOLDER(seen)] && lock == seen ->
			assert(!alive[HOLDER(seen)]);
			lock = ID | CONTENDED; ok = 1; GOT_LOCK
		:: else -> ok = 0
		fi
	}
	if
	:: ok ->
		/* core.c shmemgen_take_over: shmemgen_recover(); */
		recover()
	:: else
	fi
}

/* shmemgen_sleep: woke says whether a wake (or a change) ended it. */
inline lock_sleep() {
	DIE;
#ifdef LINUX
	/* platform_linux.h shmemgen_sleep: return shmemgen_futex_wait(&shmemgen_core.header->wake_seq, ticket, ms); */
	/* platform_linux.h shmemgen_futex_wait: long r = syscall(SYS_futex, word, FUTEX_WAIT, value, ms == INFINITE ? NULL : &t, NULL, 0); */
	d_step {
		if
		:: wake_seq != ticket -> woke = 1 /* EAGAIN: a release came */
		:: else -> lockq[me] = 1; woke = 0
		fi;
		ticket = 0
	}
#else
	/* platform_windows.h shmemgen_sleep: return WaitForSingleObject(shmemgen_core.wake, ms) != WAIT_TIMEOUT; */
	d_step {
		if
		:: wake_set -> wake_set = 0; woke = 1
		:: else -> lockq[me] = 1; woke = 0
		fi
	}
#endif
	if
	:: woke
	:: else ->
		if
		:: !lockq[me] -> woke = 1
		:: LOCK_SLICE ->
			/* the 20 ms slice ends, unless a wake came first */
			d_step {
				if
				:: lockq[me] -> lockq[me] = 0; woke = 0
				:: else -> woke = 1
				fi
			}
#ifdef LINUX
		:: SPURIOUS -> lockq[me] = 0; woke = 1
#endif
		DIE_OPTION
		fi
	fi
}

/* shmemgen_acquire: status 0 with the lock, 1 for LOCK_TIMEOUT. */
inline acquire() {
	DIE;
	/* core.c shmemgen_acquire: if (shmemgen_cas64(&shmemgen_core.header->lock, shmemgen_core.owner, 0) == 0) */
	d_step {
		acq[me] = 1;
		if
		:: lock == 0 -> lock = ID; ok = 1; GOT_LOCK
		:: else -> ok = 0
		fi
	}
	if
	:: ok -> status = 0
	:: else ->
		/* shmemgen_acquire_contended. Its spin is one try: a try that
		 * fails changes nothing, so more add no behaviour. Its load
		 * and its compare-exchange are one step likewise. */
		/* core.c shmemgen_acquire_contended: if (*word == 0 && shmemgen_cas64(word, me, 0) == 0) */
		d_step {
			if
			:: lock == 0 -> lock = ID; ok = 1; GOT_LOCK
			:: else -> ok = 0
			fi
		}
		if
		:: ok -> status = 0
		:: else ->
			do
			::
#ifdef LINUX
				/* core.c shmemgen_acquire_contended: DWORD ticket = shmemgen_wake_ticket(); */
				/* platform_linux.h shmemgen_wake_ticket: return (DWORD)__atomic_load_n(&shmemgen_core.header->wake_seq, __ATOMIC_SEQ_CST); */
				ticket = wake_seq;
#endif
				/* core.c shmemgen_acquire_contended: LONGLONG seen = *word; */
				seen = lock;
				if
				:: seen == 0 ->
					DIE;
					/* core.c shmemgen_acquire_contended: if (shmemgen_cas64(word, me | {{ .MacroPrefix }}_LOCK_CONTENDED, 0) == 0) */
					d_step {
						if
						:: lock == 0 -> lock = ID | CONTENDED; ok = 1; GOT_LOCK
						:: else -> ok = 0
						fi
					}
					if
					:: ok -> status = 0; break
					:: else /* continue; */
					fi
				:: else ->
					/* core.c shmemgen_acquire_contended: if (!(seen & {{ .MacroPrefix }}_LOCK_CONTENDED) && shmemgen_cas64(word, seen | {{ .MacroPrefix }}_LOCK_CONTENDED, seen) != seen) */
					if
					:: !(seen & CONTENDED) ->
						DIE;
						d_step {
							if
							:: lock == seen -> lock = seen | CONTENDED; ok = 1
							:: else -> ok = 0
							fi
						}
					:: else -> ok = 1
					fi;
					if
					:: !ok /* continue; */
					:: else ->
						/* core.c shmemgen_acquire_contended: seen |= {{ .MacroPrefix }}_LOCK_CONTENDED; */
						seen = seen | CONTENDED;
						/* The clock: naps counts how long this holder has
						 * been seen, in AGE steps to a check: a slice that
						 * ends is a whole check, a sleep cut short (a wake,
						 * a signal) one step. */
						/* core.c shmemgen_acquire_contended: if (seen != holder) { */
						if
						:: seen != holder -> holder = seen; naps = 0
						:: else
						fi;
						/* core.c shmemgen_acquire_contended: if (waited >= {{ .MacroPrefix }}_LOCK_TIMEOUT_MS) { */
						if
						:: LOCK_TIMEOUT ->
							/* core.c shmemgen_acquire_contended: if (!shmemgen_take_over(seen, me | {{ .MacroPrefix }}_LOCK_CONTENDED)) */
							take_over();
							if
							:: ok -> status = 0
							:: else -> d_step { acq[me] = 0; status = 1 }
							fi;
							break
						:: true
						fi;
						/* core.c shmemgen_acquire_contended: if (held >= SHMEMGEN_CHECK_MS) { */
						if
						:: naps >= AGE ->
							/* core.c shmemgen_acquire_contended: if (shmemgen_take_over(seen, me | {{ .MacroPrefix }}_LOCK_CONTENDED)) */
							take_over();
							if
							:: ok -> status = 0; break
							:: else
							fi;
							/* core.c shmemgen_acquire_contended: since = now; */
							naps = 0
						:: else ->
							/* core.c shmemgen_acquire_contended: shmemgen_sleep(ticket, (DWORD)slice); */
							lock_sleep();
							if
							:: !woke -> naps = AGE
							:: else -> naps++
							fi
						fi
					fi
				fi;
				seen = 0; ok = 0; woke = 0
			od
		fi
	fi;
	seen = 0; ok = 0; woke = 0; holder = 0; naps = 0
}

/* shmemgen_release: held says whether the lock was still this process's,
 * which it always is here, since holder_alive is exact: (b) again. The
 * release_contended's compare-exchange is one step with the first: once
 * that saw mine | CONTENDED, nobody else changes the word, so it cannot
 * fail. */
inline release() {
	DIE;
	/* core.c shmemgen_release: LONGLONG seen = shmemgen_cas64(&shmemgen_core.header->lock, 0, mine); */
	/* core.c shmemgen_release: return seen == mine || shmemgen_release_contended(seen); */
	/* core.c shmemgen_release_contended: if (seen != mine || shmemgen_cas64(&shmemgen_core.header->lock, 0, mine) != mine) */
	d_step {
		seen = lock;
		if
		:: seen == ID || seen == (ID | CONTENDED) -> lock = 0; held = 1
		:: else -> held = 0
		fi;
		incs[me] = 0
	}
	assert(held);
	if
	:: seen & CONTENDED ->
		DIE;
		/* core.c shmemgen_release_contended: shmemgen_wake(); */
#ifdef LINUX
		/* platform_linux.h shmemgen_wake: __atomic_add_fetch(&shmemgen_core.header->wake_seq, 1, __ATOMIC_SEQ_CST); */
		d_step { wake_seq++; seen = 0 }
		DIE;
		/* platform_linux.h shmemgen_wake: shmemgen_futex_wake(&shmemgen_core.header->wake_seq, 1); */
		atomic {
			if
			:: lockq[0] -> lockq[0] = 0
			:: lockq[1] -> lockq[1] = 0
			:: lockq[2] -> lockq[2] = 0
			:: else
			fi
		}
#else
		/* platform_windows.h shmemgen_wake: SetEvent(shmemgen_core.wake); */
		atomic {
			seen = 0;
			if
			:: lockq[0] -> lockq[0] = 0
			:: lockq[1] -> lockq[1] = 0
			:: lockq[2] -> lockq[2] = 0
			:: else -> wake_set = 1 /* nobody sleeps: it stays set */
			fi
		}
#endif
	:: else -> seen = 0
	fi;
	held = 0
}

/* A write, once the lock is held (the arguments are chosen then: no other
 * process sees them earlier): a set of an empty string, which marks both
 * cells and writes its terminator to the first, or bytes to [1,2) or
 * [0,2). */
inline write() {
	if
	:: f = 0; t = CELLS; wt = 1
	:: KINDS > 1 -> f = 1; t = 2; wt = 2
	:: KINDS > 2 -> f = 0; t = 2; wt = 2
	fi;
	DIE;
	/* One step: a writer that dies between the two stores leaves
	 * writing_to 0, no mark, as one that dies before them, and no byte of
	 * the payload has changed yet. */
	/* core.c {{ .Set }}: shmemgen_writing(0, SHMEMGEN_TEXT_BYTES); */
	/* core.c {{ .WriteBytes }}: shmemgen_writing(offset, offset + n); */
	/* core.c shmemgen_writing: shmemgen_store64(&h->writing_from, from); */
	/* core.c shmemgen_writing: shmemgen_store64(&h->writing_to, to); */
	d_step { writing_from = f; writing_to = t }
	DIE;
	/* core.c {{ .Set }}: shmemgen_bump(seq); */
	/* core.c {{ .WriteBytes }}: shmemgen_bump(seq); */
	/* core.c shmemgen_bump: __atomic_store_n(seq, *seq + 1, __ATOMIC_RELEASE); */
	seq++; /* odd: the change begins */
	DIE;
	/* Every cell it writes is broken from its first byte on. */
	/* core.c {{ .Set }}: SIZE_T n = shmemgen_scan(text, src, SHMEMGEN_CAPACITY - 1, TRUE); */
	/* core.c {{ .WriteBytes }}: memcpy(shmemgen_core.payload + offset, src, (SIZE_T)n); */
	d_step { whole[f] = 0; whole[wt - 1] = 0 }
	DIE;
	/* The copy is done. */
	d_step { whole[f] = 1; whole[wt - 1] = 1; t = wt; wt = 0 }
	/* core.c {{ .Set }}: shmemgen_written(0, ((ULONGLONG)n + 1) * 2); */
	/* core.c {{ .WriteBytes }}: shmemgen_written(offset, offset + n); */
	/* core.c shmemgen_written: shmemgen_wrote(); */
	wrote();
	DIE;
	/* core.c shmemgen_written: shmemgen_store64(&h->writing_to, 0); */
	writing_to = 0;
	DIE;
	/* core.c shmemgen_written: if (shmemgen_load64(&h->torn_to) != 0) */
	/* core.c shmemgen_written: shmemgen_cover(from, to); */
	/* core.c shmemgen_cover: if (from <= torn_from && to >= torn_to) */
	/* core.c shmemgen_cover: shmemgen_store64(&h->torn_to, 0); */
	/* core.c shmemgen_cover: else if (from <= torn_from && to > torn_from) */
	/* core.c shmemgen_cover: shmemgen_store64(&h->torn_from, to); */
	/* core.c shmemgen_cover: else if (from < torn_to && to >= torn_to) */
	/* core.c shmemgen_cover: shmemgen_store64(&h->torn_to, from); */
	d_step {
		if
		:: torn_to == 0
		:: else ->
			if
			:: f <= torn_from && t >= torn_to -> torn_to = 0
			:: else ->
				if
				:: f <= torn_from && t > torn_from -> torn_from = t
				:: else ->
					if
					:: f < torn_to && t >= torn_to -> torn_to = f
					:: else
					fi
				fi
			fi
		fi;
		f = 0; t = 0
	}
	DIE;
	/* core.c {{ .Set }}: shmemgen_bump(seq); */
	seq++; /* even: the change is over */
	/* core.c {{ .WriteBytes }}: held = shmemgen_release(); */
	release();
	/* core.c {{ .WriteBytes }}: shmemgen_announce(); */
	announce()
}

/* A read of [0,1), [1,2) or [0,2), of bytes or of the string, without
 * the lock: the count, each cell, the torn range, the count again; after
 * READ_TRIES tries that saw the count odd or moved, under the lock. (e):
 * a read that does not say ABANDONED read only whole cells. */
inline read() {
	if
	:: f = 0; t = 1
	:: f = 1; t = 2
	:: f = 0; t = 2
	fi;
	do
	::
		/* core.c {{ .Get }}: DWORD seen = shmemgen_begin(seq); */
		/* core.c shmemgen_begin: return __atomic_load_n(seq, __ATOMIC_ACQUIRE); */
		seen = seq;
		/* core.c {{ .Get }}: if (seen & 1) { */
		if
		:: seen % 2 == 0 ->
			/* The copy and the range's loads are one step: what a
			 * writer changes between them it changes inside seq's
			 * window, which the check below catches. */
			/* core.c {{ .ReadBytes }}: shmemgen_snap(dst, shmemgen_core.payload + offset, (SIZE_T)n); */
			/* core.c {{ .Get }}: BOOL torn = shmemgen_torn(0, ((ULONGLONG)n + 1) * 2); */
			/* core.c shmemgen_torn: ULONGLONG torn_to = shmemgen_peek64(&h->torn_to); */
			/* core.c shmemgen_torn: return torn_to != 0 && from < torn_to && shmemgen_peek64(&h->torn_from) < to; */
			d_step {
				complete = whole[f] && whole[t - 1];
				torn = torn_to != 0 && f < torn_to && torn_from < t
			}
			/* core.c {{ .Get }}: if (shmemgen_moved(seq, seen)) */
			/* core.c shmemgen_moved: return __atomic_load_n(seq, __ATOMIC_RELAXED) != seen; */
			if
			:: seq == seen -> /* the fast path's answer */
				/* core.c {{ .Get }}: return shmemgen_done(TRUE, torn, cut); */
				assert(torn || complete);
				break
			:: else
			fi
		:: else
		fi;
		d_step { seen = 0; v = 0; torn = 0; complete = 0; tries++ }
		/* core.c {{ .Get }}: return shmemgen_get_locked(dst, cch); */
		if
		:: tries >= READ_TRIES ->
			/* core.c shmemgen_get_locked: DWORD status = shmemgen_acquire(); */
			acquire();
			if
			:: status == 0 ->
				/* A takeover's recover used f and t: the range
				 * again, any of them. */
				if
				:: f = 0; t = 1
				:: f = 1; t = 2
				:: f = 0; t = 2
				fi;
				/* core.c shmemgen_read_bytes_locked: memcpy(dst, shmemgen_core.payload + offset, (SIZE_T)n); */
				/* core.c shmemgen_read_bytes_locked: BOOL torn = n > 0 && shmemgen_torn(offset, offset + n); */
				d_step {
					complete = whole[f] && whole[t - 1];
					torn = torn_to != 0 && f < torn_to && torn_from < t
				}
				/* core.c shmemgen_read_bytes_locked: BOOL held = shmemgen_release(); */
				release();
				/* core.c shmemgen_done: if (!held || torn) */
				assert(torn || complete)
			:: else -> status = 0
			fi;
			break
		:: else
		fi
	od;
	skip; /* break lands here, not inside a d_step */
	d_step { f = 0; t = 0; seen = 0; v = 0; torn = 0; complete = 0; tries = 0 }
}

/* A record write, once the lock is held, of the value v (a new one per
 * write): the mark (past the payload), then the latch: record_seq odd,
 * copy 0, record_seq even, copy 1 (copied from copy 0). */
inline write_record() {
	d_step { recv++; v = recv }
	DIE;
	/* core.c shmemgen_write_record: shmemgen_writing(from, to); */
	d_step { writing_from = CELLS; writing_to = CELLS + 1 }
	DIE;
	/* core.c shmemgen_write_record: shmemgen_bump(seq); */
	record_seq++; /* odd: readers read copy 1 */
	DIE;
	/* core.c shmemgen_write_record: memcpy(copy0, src, n); */
	rec[0] = BROKEN;
	DIE;
	rec[0] = v;
	DIE;
	record_seq++; /* even: readers read copy 0 */
	DIE;
	/* core.c shmemgen_write_record: memcpy(copy0 + SHMEMGEN_RECORD_STRIDE, copy0, n); */
	rec[1] = BROKEN;
	DIE;
	rec[1] = v;
	/* core.c shmemgen_write_record: shmemgen_written(from, to); */
	wrote();
	DIE;
	/* (a record's range never meets the torn range: cover changes nothing) */
	writing_to = 0;
	/* core.c shmemgen_write_record: BOOL held = shmemgen_release(); */
	release();
	/* core.c shmemgen_write_record: shmemgen_announce(); */
	announce();
	v = 0
}

/* A record read: the count, the copy its parity names, the count again;
 * after READ_TRIES tries, under the lock (copy 0). (g): never a copy
 * half-written. */
inline read_record() {
	do
	::
		/* core.c {{ .Record.Read }}: DWORD seen = shmemgen_begin(seq); */
		seen = record_seq;
		/* core.c {{ .Record.Read }}: shmemgen_snap((BYTE *)out, copy0 + (seen & 1) * SHMEMGEN_RECORD_STRIDE, sizeof *out); */
		v = rec[seen % 2];
		/* core.c {{ .Record.Read }}: if (!shmemgen_moved(seq, seen)) */
		if
		:: record_seq == seen ->
			assert(v != BROKEN);
			break
		:: else
		fi;
		d_step { seen = 0; v = 0; tries++ }
		if
		:: tries >= READ_TRIES ->
			/* core.c {{ .Record.Read }}: return shmemgen_read_record_locked(out); */
			/* core.c shmemgen_read_record_locked: DWORD status = shmemgen_acquire(); */
			acquire();
			if
			:: status == 0 ->
				/* core.c shmemgen_read_record_locked: memcpy(out, shmemgen_core.payload + SHMEMGEN_RECORD_FROM, sizeof *out); */
				v = rec[0];
				/* core.c shmemgen_read_record_locked: BOOL held = shmemgen_release(); */
				release();
				assert(v != BROKEN)
			:: else -> status = 0
			fi;
			break
		:: else
		fi
	od;
	skip; /* break lands here, not inside a d_step */
	d_step { seen = 0; v = 0; tries = 0 }
}

/* The wait export, with an infinite timeout unless WAIT_TIMEOUT. */
inline wait() {
	/* The spin: any number of polls of the generation, loads only, so no
	 * DIE (nobody sees them); one that finds a write returns, with no
	 * waiting set, and a spin whose time is up goes on to sleep. */
	/* core.c {{ .Wait }}: if (timeout_ms != 0 && shmemgen_spin(generation)) { */
	in_wait[me] = 1;
	do
	::
		/* core.c shmemgen_spin: ULONGLONG current = __atomic_load_n(&shmemgen_core.header->generation, __ATOMIC_ACQUIRE); */
		wcur[me] = generation;
		/* core.c shmemgen_spin: if (current != seen) { */
		if
		:: wcur[me] != wgen[me] ->
			d_step { wgen[me] = wcur[me]; in_wait[me] = 0; wcur[me] = 0; spun = 1 }
			break
		:: else
		fi
	:: d_step { wcur[me] = 0 }; break /* if (now - start >= (ULONGLONG)limit) */
	od;
	do
	:: spun -> spun = 0; break
	:: !spun ->
#ifdef LINUX
		/* core.c {{ .Wait }}: DWORD ticket = shmemgen_note_ticket(); */
		/* platform_linux.h shmemgen_note_ticket: return (DWORD)__atomic_load_n(&shmemgen_core.header->note_seq, __ATOMIC_SEQ_CST); */
		ticket = note_seq;
#endif
		DIE;
		/* core.c {{ .Wait }}: shmemgen_xchg32(waiting, 1); */
		d_step {
			in_wait[me] = 1; waiting = 1; setters = setters | BIT(me)
		}
		/* core.c {{ .Wait }}: ULONGLONG current = shmemgen_generation(); */
		wcur[me] = generation;
		/* core.c {{ .Wait }}: if (current != *generation) { */
		if
		:: wcur[me] != wgen[me] ->
			d_step { wgen[me] = wcur[me]; in_wait[me] = 0; wcur[me] = 0 }
			break
		:: else
		fi;
		/* core.c {{ .Wait }}: if (waited >= timeout_ms) { */
		if
		:: WAIT_TIMEOUT -> d_step { in_wait[me] = 0; wcur[me] = 0 }; break
		:: true
		fi;
		DIE;
		/* core.c {{ .Wait }}: if (shmemgen_await(ticket, slice) && shmemgen_generation() == current) */
#ifdef LINUX
		/* platform_linux.h shmemgen_await: return shmemgen_futex_wait(&shmemgen_core.header->note_seq, ticket, ms); */
		d_step {
			if
			:: note_seq != ticket -> woke = 1 /* EAGAIN: a note came */
			:: else -> noteq[me] = 1; woke = 0
			fi;
			ticket = 0
		}
#else
		/* platform_windows.h shmemgen_await: return WaitForSingleObject(shmemgen_core.note, ms) == WAIT_OBJECT_0; */
		d_step {
			if
			:: note_set -> woke = 1
			:: else -> noteq[me] = 1; woke = 0
			fi
		}
#endif
		if
		:: woke
		:: else ->
end_await:		/* asleep: a valid end once nobody writes */
			if
			:: !noteq[me] -> woke = 1
			:: NOTE_SLICE ->
				/* the 100 ms slice ends, unless a wake came first */
				d_step {
					if
					:: noteq[me] -> noteq[me] = 0; woke = 0
					:: else -> woke = 1
					fi
				}
			DIE_OPTION
			fi
		fi;
#ifdef WINDOWS
		/* Linux's unnote does nothing: neither it nor the load before it
		 * is modelled there. */
		if
		:: woke && generation == wcur[me] ->
			DIE;
			/* core.c {{ .Wait }}: shmemgen_unnote(); */
			/* platform_windows.h shmemgen_unnote: ResetEvent(shmemgen_core.note); */
			note_set = 0
		:: else
		fi;
#endif
		woke = 0
	od
}

proctype Process(byte me) {
	byte seen, ticket, f, t, wt, owed, ops, holder, naps, tries, v;
	bit ok, woke, held, torn, complete, status, marked, spun;

	if
	:: me < WRITERS ->
		do
		:: ops < OPS ->
#if DATA
			/* A write takes the lock; a read does not, unless it
			 * falls back to it. */
			if
			:: true ->
				acquire();
				if
				:: status == 0 ->
#if LATCH
					write_record()
#else
					write()
#endif
				:: else -> status = 0
				fi
			:: READS ->
#if LATCH
				read_record()
#else
				read()
#endif
			fi;
#else
			acquire();
			if
			:: status == 0 ->
				/* the critical section: nobody else sees it, so
				 * one step stands for all of it */
				skip;
				release()
			:: else -> status = 0
			fi;
#endif
			ops++
		:: else -> break
		od
	:: DATA && me >= WRITERS && me < WRITERS + READERS ->
#if LATCH
		read_record()
#else
		read()
#endif
	:: me >= WRITERS + READERS && me < WRITERS + READERS + WAITERS ->
		do
		:: wait()
		:: break
		od
	:: else
	fi;
	alive[me] = 0; /* it exits: to the others, the same as a death */
dead:
	skip
}

init {
	atomic {
		alive[0] = 1; alive[1] = 1; alive[2] = 1;
		rec[0] = 0; rec[1] = 0;
		wgen[0] = 1; wgen[1] = 1; wgen[2] = 1;
		run Process(0); run Process(1); run Process(2)
	}
}

/* (f) every call that waits for the lock gets it or times out. */
ltl lock_progress {
	[] (acq[0] -> <> !acq[0]) && [] (acq[1] -> <> !acq[1]) && [] (acq[2] -> <> !acq[2])
}

/* (c) a waiter asleep on a generation that is no longer current is woken
 * (with NOTE_SLICE 0: by a writer, not by its slice). */
ltl note_wake {
	[] ((noteq[0] && generation != wcur[0]) -> <> !noteq[0]) &&
	[] ((noteq[1] && generation != wcur[1]) -> <> !noteq[1]) &&
	[] ((noteq[2] && generation != wcur[2]) -> <> !noteq[2])
}

/* (c), weaker: a wait call whose caller has not seen the generation
 * returns. */
ltl wait_returns {
	[] ((in_wait[0] && generation != wgen[0]) -> <> !in_wait[0]) &&
	[] ((in_wait[1] && generation != wgen[1]) -> <> !in_wait[1]) &&
	[] ((in_wait[2] && generation != wgen[2]) -> <> !in_wait[2])
}
