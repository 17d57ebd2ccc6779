#ifndef SOUNDLOC_CMYSOFA_SHIM_H
#define SOUNDLOC_CMYSOFA_SHIM_H
#include <mysofa.h>
#endif
