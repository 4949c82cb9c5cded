; The boot sector of the test machines' volume: it prints a marker on the
; first serial port (polling the line status before each byte) and halts.
; A machine that shows the marker has read sector 0 of its iSCSI volume
; and run it. Build: nasm -f bin boot-sector.asm -o boot-sector.bin
bits 16
org 0x7c00

start:
  cli
  xor ax, ax
  mov ds, ax
  mov si, marker
.next:
  lodsb
  test al, al
  jz .halt
  mov ah, al
  mov dx, 0x3fd              ; line status register of COM1
.wait:
  in al, dx
  test al, 0x20              ; transmitter holding register empty
  jz .wait
  mov al, ah
  mov dx, 0x3f8
  out dx, al
  jmp .next
.halt:
  hlt
  jmp .halt

marker: db 13, 10, "IRONVOL-VOLUME-BOOTED", 13, 10, 0

times 510 - ($ - $$) db 0
dw 0xaa55
