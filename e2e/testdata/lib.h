/*
 * lib.h gives the test programs the project's library, loaded at run time
 * from beside the program by the project's own hosts/c/load.h (the
 * compiler finds it with -iquote PROJECT/hosts/c): its exports are
 * shmemgen_lib's fields, typed from the generated header, so that a
 * changed signature fails to compile here instead of misbehaving at run
 * time. The programs that must act before the library sets up (a squatter,
 * a lock holder) call load_shmem only when they are ready.
 */
#ifndef LIB_H
#define LIB_H

#include "load.h"

/* load_shmem loads the library and finds every export, or exits with 3
 * (load.h has said why): every caller needs all of them. */
static inline void load_shmem(const char *who)
{
    if (!shmemgen_load(who))
        exit(3);
}

#endif
