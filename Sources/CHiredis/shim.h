#ifndef FLOTILLA_CHIREDIS_SHIM_H
#define FLOTILLA_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
