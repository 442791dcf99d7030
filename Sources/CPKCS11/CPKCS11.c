// PKCS#11 is reached through dlopen at run time; this file only makes the header a C target.
#include "CPKCS11.h"
