#ifndef CALLJOURNAL_CLIBPQ_SHIM_H
#define CALLJOURNAL_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
