#!/bin/sh
echo "no cases yet"
