#ifndef FLOTILLA_CLIBPQ_SHIM_H
#define FLOTILLA_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
