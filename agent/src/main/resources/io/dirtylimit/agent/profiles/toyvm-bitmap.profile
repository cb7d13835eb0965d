# dirtylimit profile "toyvm-bitmap": the toy emulator run with its dirty ring off (--ring 0).
#
# Without a ring there are no ring-full exits. Vcpu.pageDirtied(long page) still reports each page
# newly dirtied since the last harvest, so the core places a throttle point every quantum of pages.
name        toyvm-bitmap
page-size   4096
vcpu-id     thread-name "vcpu-(\d+)"

dirty-page  class io.dirtylimit.examples.toyvm.Vcpu pageDirtied(long) page=arg0
