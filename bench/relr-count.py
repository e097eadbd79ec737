#!/usr/bin/env python3
"""Prints how many relative relocations an x86-64 ELF file's DT_RELR table (.relr.dyn) encodes:
binutils 2.40's readelf shows the table's size but not its entries (bench/hook-builds.sh)."""
import struct
import sys

with open(sys.argv[1], "rb") as f:
    elf = f.read()
shoff, = struct.unpack_from("<Q", elf, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
names_offset = struct.unpack_from("<Q", elf, shoff + shstrndx * shentsize + 0x18)[0]
count = 0
for i in range(shnum):
    name, _, _, _, offset, size = struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize)
    if elf[names_offset + name:elf.index(b"\0", names_offset + name)] != b".relr.dyn":
        continue
    for (entry,) in struct.iter_unpack("<Q", elf[offset:offset + size]):
        # An even entry is an address (one relocation); an odd one a bitmap of the next 63 words.
        count += 1 if entry & 1 == 0 else bin(entry >> 1).count("1")
print(count)
