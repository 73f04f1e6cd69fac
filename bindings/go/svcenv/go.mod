module svcenv/bindings/go/svcenv

go 1.19
